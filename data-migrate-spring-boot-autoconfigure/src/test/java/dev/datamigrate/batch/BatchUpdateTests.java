package dev.datamigrate.batch;

import java.util.List;
import java.util.UUID;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationStatus;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Batches.update(assignments)} changes the rows that match the walk's condition, each once, in
 * batches with checkpoints and counters as a batch handler would.
 */
class BatchUpdateTests {

	static long changed;

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void updatesTheRowsMatchingTheConditionOnceInBatches(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table entries (id bigint primary key, purpose varchar(20), changes integer default 0)");
			for (int id = 1; id <= 25; id++) {
				jdbc.update("insert into entries (id, purpose) values (?, ?)", id, (id % 3 == 0) ? "known" : null);
			}
			MigrationContexts.jdbc(database).withUserConfiguration(PurposeUpdate.class).run((context) -> {
				assertThat(context).hasNotFailed();
				MigrationInfo done = context.getBean(DataMigrations.class).status().find("1").orElseThrow();
				assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
				assertThat(done.recordsTotal()).isEqualTo(17);
				assertThat(done.recordsProcessed()).isEqualTo(17);
				assertThat(done.batchesDone()).isEqualTo(4);
				assertThat(done.checkpoint()).isEqualTo("25");
			});
			assertThat(changed).isEqualTo(17);
			assertThat(jdbc.queryForList("select id from entries where purpose = 'unknown' and changes = 1 order by id",
					Long.class))
				.containsExactly(1L, 2L, 4L, 5L, 7L, 8L, 10L, 11L, 13L, 14L, 16L, 17L, 19L, 20L, 22L, 23L, 25L);
			assertThat(jdbc.queryForObject("select count(*) from entries where purpose = 'known' and changes = 0",
					Integer.class)).isEqualTo(8);
		}
	}

	@Test
	void uuidKeysOnPostgresqlCheckpointTheBatchesLastKey() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table sessions (id uuid primary key, closed boolean default false)");
			for (int i = 0; i < 12; i++) {
				jdbc.update("insert into sessions (id) values (?)", UUID.randomUUID());
			}
			List<UUID> sorted = jdbc.queryForList("select id from sessions order by id", UUID.class);
			MigrationContexts.jdbc(database).withUserConfiguration(CloseSessions.class).run((context) -> {
				assertThat(context).hasNotFailed();
				MigrationInfo done = context.getBean(DataMigrations.class).status().find("1").orElseThrow();
				assertThat(done.checkpoint()).isEqualTo(sorted.get(11).toString());
				assertThat(done.batchesDone()).isEqualTo(3);
			});
			assertThat(jdbc.queryForObject("select count(*) from sessions where closed", Integer.class)).isEqualTo(12);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(PurposeUpdate.Migration.class)
	static class PurposeUpdate {

		@DataMigration(version = "1")
		static class Migration implements DataMigrationTask {

			@Override
			public void migrate(DataMigrationContext context) {
				changed = context.batches("entries")
					.where("purpose is null")
					.size(5)
					.update("purpose = 'unknown', changes = changes + 1");
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(CloseSessions.Migration.class)
	static class CloseSessions {

		@DataMigration(version = "1")
		static class Migration implements DataMigrationTask {

			@Override
			public void migrate(DataMigrationContext context) {
				context.batches("sessions").key("id", UUID.class).size(5).update("closed = true");
			}

		}

	}

}
