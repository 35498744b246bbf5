package dev.datamigrate.history;

import java.sql.Connection;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.database.Database;
import dev.datamigrate.flyway.DataMigrationGate;
import dev.datamigrate.testsupport.TestDatabase;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The finish gate in the schema tools on PostgreSQL: a contract change gated on a data migration that is
 * not done halts with a message naming it, its state and the way out, and changes nothing; once the
 * migration has run (or was skipped) the change applies.
 */
class FinishGateToolsTests {

	private static final String VERSION = "2026.03.05.1";

	private final TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);

	private final HikariDataSource dataSource = this.database.dataSource();

	private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

	private final MigrationHistory history = new MigrationHistory(this.dataSource, Database.of(this.dataSource),
			"data_migrations");

	@AfterEach
	void dropDatabase() {
		this.dataSource.close();
		this.database.close();
	}

	@Test
	void liquibaseHaltsOnAPendingMigrationAndAppliesOnceItSucceeded() throws Exception {
		record(MigrationStatus.PENDING);
		assertThatException().isThrownBy(this::updateLiquibase)
			.withMessageContaining("Data migration " + VERSION + " is PENDING; this schema change needs it SUCCEEDED, "
					+ "SKIPPED or BASELINE first. Label this changeset post-deploy")
			.withMessageContaining("skip it (DataMigrations.skip or the datamigrations endpoint)");
		assertThat(columns()).containsExactly("id", "legacy");
		assertThat(changesets()).containsExactly("things");
		this.jdbc.update("update data_migrations set status = 'SUCCEEDED' where version = ?", VERSION);
		updateLiquibase();
		assertThat(columns()).containsExactly("id");
		assertThat(changesets()).containsExactly("things", "drop-legacy");
	}

	@Test
	void liquibasePassesTheGateOfASkippedMigration() throws Exception {
		record(MigrationStatus.SKIPPED);
		updateLiquibase();
		assertThat(columns()).containsExactly("id");
	}

	@Test
	void flywayFailsOnAPendingMigrationAndMigratesOnceItSucceeded() {
		record(MigrationStatus.RUNNING);
		assertThatException().isThrownBy(this::migrateFlyway)
			.isInstanceOf(FlywayException.class)
			// Flyway's own "Migration failed", caused by the gate's
			.withStackTraceContaining("Data migration " + VERSION + " is RUNNING; this schema change needs it SUCCEEDED")
			.withStackTraceContaining("Deploy this Flyway migration only once the data migration has finished");
		assertThat(columns()).containsExactly("id", "legacy");
		this.jdbc.update("update data_migrations set status = 'SKIPPED' where version = ?", VERSION);
		migrateFlyway();
		assertThat(columns()).containsExactly("id");
	}

	private void record(MigrationStatus status) {
		this.history.createIfAbsent();
		this.history.insert(VERSION, "Backfill", "Backfill", status);
	}

	private void updateLiquibase() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			new Liquibase("db/changelog/gated.yaml", new ClassLoaderResourceAccessor(), new JdbcConnection(connection))
				.update(new Contexts(), new LabelExpression());
		}
	}

	private void migrateFlyway() {
		Flyway.configure()
			.dataSource(this.dataSource)
			.schemas(this.database.name())
			// the history table is there already
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.locations("classpath:db/flyway-gate")
			.javaMigrations(new V2__DropLegacy())
			.load()
			.migrate();
	}

	private List<String> columns() {
		return this.jdbc.queryForList("select column_name from information_schema.columns where table_schema = ? "
				+ "and table_name = 'things' order by ordinal_position", String.class, this.database.name());
	}

	private List<String> changesets() {
		return this.jdbc.queryForList("select id from databasechangelog order by orderexecuted", String.class);
	}

	/**
	 * The contract step as a Flyway Java migration.
	 */
	static class V2__DropLegacy extends BaseJavaMigration {

		@Override
		public void migrate(Context context) throws Exception {
			DataMigrationGate.requireFinished(context.getConnection(), VERSION);
			try (var statement = context.getConnection().createStatement()) {
				statement.execute("alter table things drop column legacy");
			}
		}

	}

}
