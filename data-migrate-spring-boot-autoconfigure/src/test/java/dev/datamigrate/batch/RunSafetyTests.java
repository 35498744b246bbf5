package dev.datamigrate.batch;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.fixtures.BodyRuns;
import dev.datamigrate.fixtures.RecordingMigration;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a run must not do: run a migration an operator skipped while the queue ran, walk a second table
 * from the first one's checkpoint, or call a lost connection a failure.
 */
class RunSafetyTests {

	@Test
	void migrationSkippedWhileTheQueueRunsIsNotRun() throws Exception {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource()) {
			Items.create(new JdbcTemplate(dataSource), TestDatabase.Kind.POSTGRESQL, 2_000);
			var instance = MigrationContexts.jdbc(database)
				.withUserConfiguration(Items.class, Later.class)
				.withPropertyValues("data-migrate.on-startup=skip", "data-migrate.batch.size=100",
						"data-migrate.batch.pause=20ms");
			instance.run((a) -> {
				DataMigrations onA = a.getBean(DataMigrations.class);
				CompletableFuture<RunResult> run = onA.runPendingInBackground("test");
				await().atMost(Duration.ofSeconds(30)).until(() -> onA.status().find("1").orElseThrow().batchesDone() >= 2);
				instance.run((b) -> assertThat(b.getBean(DataMigrations.class).skip("2").status())
					.isEqualTo(MigrationStatus.SKIPPED));
				RunResult result = run.get(30, TimeUnit.SECONDS);
				assertThat(result.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
				assertThat(result.applied()).containsExactly("1");
				assertThat(onA.status().find("2").orElseThrow().status()).isEqualTo(MigrationStatus.SKIPPED);
				assertThat(BodyRuns.counts(a.getBean(JdbcTemplate.class))).isEmpty();
			});
		}
	}

	@Test
	void aSecondWalkInOneMigrationIsRefused() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2); var dataSource = database.dataSource()) {
			Items.create(new JdbcTemplate(dataSource), TestDatabase.Kind.H2, 10);
			MigrationContexts.jdbc(database)
				.withUserConfiguration(TwoWalks.class)
				.withPropertyValues("data-migrate.on-startup=skip")
				.run((context) -> {
					DataMigrations migrations = context.getBean(DataMigrations.class);
					assertThat(migrations.runPending().outcome()).isEqualTo(RunResult.Outcome.FAILED);
					assertThat(migrations.status().find("1").orElseThrow().error()).startsWith(
							"java.lang.IllegalStateException: Data migration 1 already walks items in batches; one walk "
									+ "per migration keeps one checkpoint, so walk items in a migration of its own");
				});
		}
	}

	@Test
	void aLostConnectionInterruptsTheRunWithoutFailingIt() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, TestDatabase.Kind.POSTGRESQL, 1_000);
			var instance = MigrationContexts.jdbc(database)
				.withUserConfiguration(LosesItsConnection.class)
				.withPropertyValues("data-migrate.batch.size=100");
			instance.run((context) -> {
				assertThat(context).as("an interruption does not fail startup").hasNotFailed();
				MigrationInfo interrupted = context.getBean(DataMigrations.class).status().find("1").orElseThrow();
				assertThat(interrupted.status()).isEqualTo(MigrationStatus.RUNNING);
				assertThat(interrupted.error()).isNull();
				assertThat(interrupted.checkpoint()).isEqualTo("200");
			});
			instance.run((context) -> {
				MigrationInfo done = context.getBean(DataMigrations.class).status().find("1").orElseThrow();
				assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
				assertThat(done.attempts()).isEqualTo(2);
			});
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 1_000));
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(Later.Migration.class)
	static class Later {

		@DataMigration(version = "2")
		static class Migration extends RecordingMigration {

			Migration(JdbcTemplate jdbc) {
				super(jdbc);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(TwoWalks.Migration.class)
	static class TwoWalks {

		@DataMigration(version = "1", transactional = false)
		static class Migration implements DataMigrationTask {

			@Override
			public void migrate(DataMigrationContext context) {
				context.batches("items").run((batch) -> 0);
				context.batches("items").run((batch) -> 0);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(LosesItsConnection.Migration.class)
	static class LosesItsConnection {

		/** Terminates its own session in the third batch of its first run, as a failover would. */
		@DataMigration(version = "1")
		static class Migration implements DataMigrationTask {

			private final JdbcTemplate jdbc;

			Migration(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			@Override
			public void migrate(DataMigrationContext context) {
				boolean firstRun = context.checkpoint() == null;
				context.batches("items").run((batch) -> {
					if (firstRun && batch.number() == 3) {
						this.jdbc.execute("select pg_terminate_backend(pg_backend_pid())");
					}
					return this.jdbc.update("update items set changes = changes + 1 where id between ? and ?",
							batch.first(), batch.last());
				});
			}

		}

	}

}
