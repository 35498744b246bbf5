package dev.datamigrate.runner;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.database.Database;
import dev.datamigrate.fixtures.BodyRuns;
import dev.datamigrate.fixtures.FiveMigrations;
import dev.datamigrate.fixtures.RecordingMigration;
import dev.datamigrate.history.AutoCommitDataSource;
import dev.datamigrate.lock.MigrationLock;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application whose migrations are all done starts without the lock, so it does not wait for a peer
 * that holds it; one with a migration still to run waits for the lock as before, and so does one whose
 * history table lacks columns.
 */
class NothingPendingTests {

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void everyMigrationDoneStartsWhileAPeerHoldsTheLockAndOneToRunWaitsForIt(TestDatabase.Kind kind) throws Exception {
		try (TestDatabase database = TestDatabase.create(kind); HikariDataSource dataSource = database.dataSource()) {
			MigrationContexts.jdbc(database)
				.withUserConfiguration(FiveMigrations.class)
				.run((context) -> assertThat(context).hasNotFailed());
			SimpleAsyncTaskScheduler heartbeats = new SimpleAsyncTaskScheduler();
			MigrationLock lock = Database.of(dataSource)
				.lock(new AutoCommitDataSource(dataSource), "data_migrations", Duration.ofMinutes(1), heartbeats);
			try (heartbeats; MigrationLock.Handle peer = lock.acquire(Duration.ofSeconds(10)).orElseThrow()) {
				MigrationContexts.jdbc(database)
					.withUserConfiguration(FiveMigrations.class)
					.withPropertyValues("data-migrate.lock.wait-timeout=1s")
					.run((context) -> {
						assertThat(context).hasNotFailed();
						assertThat(context.getBean(DataMigrations.class).status().migrations()).hasSize(5)
							.allSatisfy((migration) -> {
								assertThat(migration.status()).isEqualTo(MigrationStatus.SUCCEEDED);
								assertThat(migration.attempts()).isOne();
							});
					});
				MigrationContexts.jdbc(database)
					.withUserConfiguration(FiveMigrations.class, OneMore.class)
					.withPropertyValues("data-migrate.lock.wait-timeout=1s")
					.run((context) -> assertThat(context).getFailure()
						.hasStackTraceContaining("Another instance held the data migration lock"));
			}
			assertThat(BodyRuns.counts(new JdbcTemplate(dataSource)))
				.isEqualTo(Map.of("1.2", 1, "1_3_1", 1, "1.9", 1, "1.10", 1, "2", 1));
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void aHistoryTableOfAnEarlierStarterGetsItsNewColumnsThoughEveryMigrationIsDone(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); HikariDataSource dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table data_migrations (version varchar(100) not null primary key, "
					+ "description varchar(1000), class_name varchar(500), status varchar(20) not null, "
					+ "attempts integer default 0 not null, started_at timestamp, finished_at timestamp, "
					+ "duration_ms bigint, records_total bigint, records_processed bigint default 0 not null, "
					+ "batches_done bigint default 0 not null, checkpoint varchar(1000), error varchar(4000), "
					+ "executed_by varchar(255), triggered_by varchar(255), owner_token varchar(64), "
					+ "updated_at timestamp)");
			for (String version : List.of("1.2", "1_3_1", "1.9", "1.10", "2")) {
				jdbc.update("insert into data_migrations (version, status, attempts) values (?, 'SUCCEEDED', 1)",
						version);
			}
			MigrationContexts.jdbc(database).withUserConfiguration(FiveMigrations.class).run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(DataMigrations.class).status().migrations()).hasSize(5)
					.allSatisfy((migration) -> assertThat(migration.status()).isEqualTo(MigrationStatus.SUCCEEDED));
			});
			assertThat(jdbc.queryForList("select app_version, heartbeat_at from data_migrations")).hasSize(5);
			assertThat(BodyRuns.counts(jdbc)).isEmpty();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(OneMore.Migration.class)
	static class OneMore {

		@DataMigration(version = "3")
		static class Migration extends RecordingMigration {

			Migration(JdbcTemplate jdbc) {
				super(jdbc);
			}

		}

	}

}
