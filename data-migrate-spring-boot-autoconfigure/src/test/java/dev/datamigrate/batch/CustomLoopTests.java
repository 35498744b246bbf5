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
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * A custom resumable loop with its own checkpoints and progress, stopped by a pause and resumed on
 * another instance.
 */
class CustomLoopTests {

	private static final int STEPS = 100;

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void customLoopResumesFromItsOwnCheckpoint(TestDatabase.Kind kind) throws Exception {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table steps (step integer not null, instance varchar(10))");
			instance(database, "A").run((a) -> {
				DataMigrations onA = a.getBean(DataMigrations.class);
				CompletableFuture<RunResult> runOnA = onA.runPendingInBackground("test");
				await().atMost(Duration.ofSeconds(30)).until(() -> onA.status().find("1").orElseThrow().recordsProcessed() >= 10);
				instance(database, "B").run((b) -> {
					DataMigrations onB = b.getBean(DataMigrations.class);
					onB.pause("1");
					assertThat(runOnA.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(RunResult.Outcome.STOPPED);
					MigrationInfo paused = onB.status().find("1").orElseThrow();
					int checkpoint = Integer.parseInt(paused.checkpoint());
					assertThat(jdbc.queryForObject("select max(step) from steps", Integer.class)).isEqualTo(checkpoint);
					assertThat(paused.recordsTotal()).isEqualTo(STEPS);

					onB.resume("1");
					assertThat(onB.runPending().outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
					MigrationInfo done = onB.status().find("1").orElseThrow();
					assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
					assertThat(done.checkpoint()).isEqualTo(String.valueOf(STEPS));
					assertThat(done.recordsProcessed()).isEqualTo(STEPS);
					assertThat(done.progress()).isEqualTo(1.0);
					assertThat(jdbc.queryForObject("select min(step) from steps where instance = 'B'", Integer.class))
						.isEqualTo(checkpoint + 1);
				});
			});
			assertThat(jdbc.queryForObject("select count(distinct step) from steps", Integer.class)).isEqualTo(STEPS);
			assertThat(jdbc.queryForObject("select count(*) from steps", Integer.class)).isEqualTo(STEPS);
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void transactionalMigrationMayMixCheckpointsProgressAndBatches(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			Items.create(new JdbcTemplate(dataSource), kind, 300);
			assertTimeoutPreemptively(Duration.ofSeconds(60), () -> MigrationContexts.jdbc(database)
				.withUserConfiguration(Mixed.class)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					MigrationInfo done = context.getBean(DataMigrations.class).status().find("1").orElseThrow();
					assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
					assertThat(done.checkpoint()).isEqualTo("300");
					assertThat(done.batchesDone()).isEqualTo(3);
					assertThat(Items.changeCounts(context.getBean(JdbcTemplate.class))).isEqualTo(Map.of(1, 300));
				}));
		}
	}

	private static ApplicationContextRunner instance(TestDatabase database, String name) {
		return MigrationContexts.jdbc(database)
			.withUserConfiguration(Steps.class)
			.withPropertyValues("instance.name=" + name, "data-migrate.on-startup=skip");
	}

	@Configuration(proxyBeanMethods = false)
	@Import(Mixed.Migration.class)
	static class Mixed {

		@DataMigration(version = "1")
		static class Migration implements DataMigrationTask {

			private final JdbcTemplate jdbc;

			Migration(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			@Override
			public void migrate(DataMigrationContext context) throws Exception {
				context.checkpoint("0");
				context.progress(0, 300);
				context.batches("items").size(100).run((batch) -> this.jdbc
					.update("update items set changes = changes + 1 where id between ? and ?", batch.first(), batch.last()));
				context.progress(300, 300);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Steps.Migration.class)
	static class Steps {

		@DataMigration(version = "1", transactional = false)
		static class Migration implements DataMigrationTask {

			private final JdbcTemplate jdbc;

			private final TransactionTemplate transaction;

			private final String instance;

			Migration(JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
					@Value("${instance.name}") String instance) {
				this.jdbc = jdbc;
				this.transaction = new TransactionTemplate(transactionManager);
				this.instance = instance;
			}

			@Override
			public void migrate(DataMigrationContext context) throws Exception {
				int done = (context.checkpoint() != null) ? Integer.parseInt(context.checkpoint()) : 0;
				for (int step = done + 1; step <= STEPS && !context.stopRequested(); step++) {
					int current = step;
					this.transaction.executeWithoutResult((status) -> {
						this.jdbc.update("insert into steps (step, instance) values (?, ?)", current, this.instance);
						context.checkpoint(String.valueOf(current));
					});
					context.progress(current, STEPS);
					Thread.sleep(30);
				}
			}

		}

	}

}
