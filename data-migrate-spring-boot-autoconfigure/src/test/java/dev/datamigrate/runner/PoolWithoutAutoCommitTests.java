package dev.datamigrate.runner;

import java.util.Map;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool that hands out connections without auto-commit ({@code spring.datasource.hikari.auto-commit=false},
 * common with Hibernate): the starter's history, lock and batches still commit, as other connections see.
 * Before, the history table's DDL was rolled back, and a lease lock was never seen taken: a run waited for
 * it until its wait timed out.
 */
class PoolWithoutAutoCommitTests {

	@ParameterizedTest(name = "{0}, by statement: {1}")
	@MethodSource("dev.datamigrate.batch.PauseResumeTests#databasesAndWalks")
	void theBackfillRunsAtStartupAndItsRecordsAndRowsAreCommitted(TestDatabase.Kind kind, boolean byStatement) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, kind, 250);
			MigrationContexts.jdbc(database)
				.withUserConfiguration(Items.class)
				.withPropertyValues("spring.datasource.hikari.auto-commit=false", "items.by-statement=" + byStatement,
						"data-migrate.batch.size=100", "data-migrate.lock.wait-timeout=10s")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					MigrationInfo done = context.getBean(DataMigrations.class).status().find("1").orElseThrow();
					assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
					assertThat(done.recordsProcessed()).isEqualTo(250);
					assertThat(done.batchesDone()).isEqualTo(3);
				});
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 250));
			assertThat(jdbc.queryForObject("select status from data_migrations where version = '1'", String.class))
				.isEqualTo("SUCCEEDED");
		}
	}

}
