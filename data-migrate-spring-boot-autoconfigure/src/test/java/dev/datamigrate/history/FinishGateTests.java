package dev.datamigrate.history;

import java.sql.Connection;
import java.util.Set;

import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.database.Database;
import dev.datamigrate.testsupport.TestDatabase;
import dev.datamigrate.testsupport.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The finish gate reads the history on the schema tool's connection, inside its open transaction,
 * which it neither commits nor breaks.
 */
class FinishGateTests {

	@ParameterizedTest
	@EnumSource(Kind.class)
	void passesOnlyOnceTheMigrationIsDone(Kind kind) throws Exception {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource();
				Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			assertThat(FinishGate.check(connection, "data_migrations", "1.0")).get()
				.asString()
				.startsWith("Data migration 1.0 has not run in this database (it has no table data_migrations)");
			MigrationHistory history = new MigrationHistory(dataSource, Database.of(dataSource), "data_migrations");
			history.createIfAbsent();
			connection.rollback();
			assertThat(FinishGate.check(connection, "data_migrations", "1.0")).get()
				.asString()
				.startsWith("Data migration 1.0 has not run in this database (no row in data_migrations)");
			// each changeset's preconditions run in a transaction of their own (MariaDB reads a snapshot)
			connection.rollback();
			history.insert("1", "backfill", "Backfill", MigrationStatus.PENDING);
			assertThat(FinishGate.check(connection, "data_migrations", "1.0")).get()
				.asString()
				.startsWith("Data migration 1.0 is PENDING; this schema change needs it SUCCEEDED, SKIPPED or BASELINE");
			connection.rollback();
			history.transition("1", Set.of(MigrationStatus.PENDING), MigrationStatus.SKIPPED, "test");
			assertThat(FinishGate.check(connection, "data_migrations", "1.0")).isEmpty();
			assertThat(connection.getAutoCommit()).isFalse();
			connection.rollback();
		}
	}

}
