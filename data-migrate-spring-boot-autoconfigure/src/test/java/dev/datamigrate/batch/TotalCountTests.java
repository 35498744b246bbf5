package dev.datamigrate.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.LoggedEvents;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import dev.datamigrate.testsupport.Wrapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On PostgreSQL a walk counts its total on a connection of its own while its first batches run, in a
 * snapshot taken before them. The tests slow the count down in the database: the walk's filter calls a
 * function that sleeps, for each row, in the count's query only.
 */
@ExtendWith(OutputCaptureExtension.class)
class TotalCountTests {

	private static final String COUNT_THREAD = "data-migrate-count-items";

	/** What the count's connection and the others do, in order. */
	static final List<String> happenings = new CopyOnWriteArrayList<>();

	@Test
	void aCountThatEndsAfterTheBatchesCountsTheRowsAsTheyWereBeforeTheWalk(CapturedOutput output) throws Exception {
		happenings.clear();
		onItems(0.1, StartedLate.class, (jdbc, migrations) -> {
			migrations.runPending();
			MigrationInfo done = migrations.status().find("1").orElseThrow();
			assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
			assertThat(done.recordsTotal()).as("rows that matched the filter before the walk").isEqualTo(25);
			assertThat(done.recordsProcessed()).isEqualTo(25);
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 25));
		});
		assertThat(happenings).as("a batch committed while the count ran beside it")
			.containsSubsequence("count connected", "commit", "counted");
		List<String> events = LoggedEvents.startAndBatches(output);
		assertThat(events).as("the start with the total, then the batches held back while it was counted")
			.hasSize(6)
			.first()
			.asString()
			.contains("data_migration_start", "total_records=25", "total_batches=5");
		assertThat(events.subList(1, 6)).allMatch((line) -> line.contains("total_batches=5"));
	}

	@Test
	void aWalkPausedWhileItsTotalIsCountedCancelsTheCountAndTheNextRunCountsWhatIsLeft(CapturedOutput output) throws Exception {
		onItems(1, SlowlyCounted.class, (jdbc, migrations) -> {
			CompletableFuture<RunResult> run = migrations.runPendingInBackground("test");
			await().atMost(Duration.ofSeconds(20)).until(() -> migrations.status().find("1").orElseThrow().batchesDone() >= 1);
			migrations.pause("1", "test");
			assertThat(run.get(20, TimeUnit.SECONDS).outcome()).isEqualTo(RunResult.Outcome.STOPPED);
			assertThat(Thread.getAllStackTraces().keySet()).as("the count of 25 s, cancelled with its walk")
				.noneMatch((thread) -> thread.getName().equals(COUNT_THREAD));
			MigrationInfo paused = migrations.status().find("1").orElseThrow();
			assertThat(paused.status()).isEqualTo(MigrationStatus.PAUSED);
			assertThat(paused.recordsTotal()).isNull();
			assertThat(paused.recordsProcessed()).isBetween(5L, 20L);
			assertThat(LoggedEvents.startAndBatches(output)).as("the start, with no total, before the batches held back")
				.hasSize(1 + (int) paused.batchesDone())
				.first()
				.asString()
				.contains("data_migration_start")
				.doesNotContain("total_records");

			jdbc.update("update count_delay set seconds = 0");
			migrations.resume("1", "test");
			assertThat(migrations.runPending().applied()).containsExactly("1");
			MigrationInfo done = migrations.status().find("1").orElseThrow();
			assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
			assertThat(done.recordsTotal()).as("processed by the first run, and left for the second")
				.isEqualTo(25);
			assertThat(done.recordsProcessed()).isEqualTo(25);
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 25));
		});
		assertThat(output.getOut()).contains("data_migration_resumed");
	}

	@Test
	void aCountThatFailsDoesNotStopTheWalkWhoseTotalIsThenTheRowsItFound(CapturedOutput output) throws Exception {
		// recorded after the walk, in the migration's own transaction, while no batch waits for the row
		onItems(-1, InItsOwnTransaction.class, (jdbc, migrations) -> {
			assertThat(migrations.runPending().applied()).containsExactly("1");
			MigrationInfo done = migrations.status().find("1").orElseThrow();
			assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
			assertThat(done.recordsTotal()).isEqualTo(25);
			assertThat(done.recordsProcessed()).isEqualTo(25);
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 25));
		});
		assertThat(output.getOut()).contains("Counting the rows of the walk over items failed, so its progress "
				+ "shows no total until it ends: ", "the count fails");
		assertThat(LoggedEvents.startAndBatches(output)).hasSize(6)
			.first()
			.asString()
			.contains("data_migration_start")
			.doesNotContain("total_records");
	}

	@Test
	void aBatchThatFailsWhileTheTotalIsCountedCancelsTheCountAndReportsTheBatchesBeforeIt(CapturedOutput output) throws Exception {
		// item 13 fails the third batch
		onItems(1, SlowlyCounted.class, (jdbc, migrations) -> {
			assertThat(migrations.runPending().outcome()).isEqualTo(RunResult.Outcome.FAILED);
			assertThat(Thread.getAllStackTraces().keySet()).as("the count of 25 s, cancelled with its walk")
				.noneMatch((thread) -> thread.getName().equals(COUNT_THREAD));
			MigrationInfo failed = migrations.status().find("1").orElseThrow();
			assertThat(failed.status()).isEqualTo(MigrationStatus.FAILED);
			assertThat(failed.recordsTotal()).isNull();
			assertThat(failed.batchesDone()).isEqualTo(2);
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(0, 15, 1, 10));
		}, "items.update=update items set changes = changes + 1 / (case when id = 13 then 0 else 1 end) "
				+ "where id between :first and :last");
		assertThat(LoggedEvents.startAndBatches(output)).hasSize(3).first().asString().contains("data_migration_start");
		assertThat(output.getOut()).doesNotContain("Counting the rows of the walk over items failed");
	}

	@Test
	void anApplicationShutDownWhileItsTotalIsCountedCancelsTheCountAndTheNextStartCountsWhatIsLeft() throws Exception {
		withItems(1, (database, jdbc) -> {
			application(database, SlowlyCounted.class).run((context) -> {
				DataMigrations migrations = context.getBean(DataMigrations.class);
				migrations.runPendingInBackground("test");
				await().atMost(Duration.ofSeconds(20))
					.until(() -> migrations.status().find("1").orElseThrow().batchesDone() >= 1);
			});
			assertThat(Thread.getAllStackTraces().keySet()).as("the count of 25 s, cancelled at shutdown")
				.noneMatch((thread) -> thread.getName().equals(COUNT_THREAD));
			MigrationContexts.jdbc(database)
				.withUserConfiguration(SlowlyCounted.class)
				.withPropertyValues("data-migrate.on-startup=skip")
				.run((context) -> assertThat(context.getBean(DataMigrations.class).status().find("1"))
					.hasValueSatisfying((migration) -> {
						assertThat(migration.status()).isEqualTo(MigrationStatus.RUNNING);
						assertThat(migration.recordsTotal()).isNull();
						assertThat(migration.recordsProcessed()).isBetween(5L, 20L);
					}));
			jdbc.update("update count_delay set seconds = 0");
			application(database, SlowlyCounted.class, "data-migrate.on-startup=run").run((context) -> {
				assertThat(context).hasNotFailed();
				MigrationInfo done = context.getBean(DataMigrations.class).status().find("1").orElseThrow();
				assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
				assertThat(done.recordsTotal()).isEqualTo(25);
				assertThat(done.attempts()).isEqualTo(2);
			});
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 25));
		});
	}

	@Test
	void aPoolWithNoConnectionForTheCountCountsBeforeTheFirstBatch(CapturedOutput output) throws Exception {
		// the lock, the migration's transaction and the first batch take all three; the count waits 0.1 s for
		// one, then the walk counts in the batch's transaction and records the total after its commit
		onItems(0, InItsOwnTransaction.class, (jdbc, migrations) -> {
			assertThat(migrations.runPending().applied()).containsExactly("1");
			assertThat(migrations.status().find("1").orElseThrow().recordsTotal()).isEqualTo(25);
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 25));
		}, "spring.datasource.hikari.maximum-pool-size=3");
		assertThat(LoggedEvents.startAndBatches(output)).hasSize(6).first().asString().contains("data_migration_start", "total_records=25");
		assertThat(output.getOut()).doesNotContain("Counting the rows of the walk over items failed");
	}

	/**
	 * On a new PostgreSQL database of 25 items, run the check with the migration of {@link SlowlyCounted}.
	 * @param secondsPerRow how long the count sleeps for each row it sees; below zero, it fails
	 * @param configuration the application's configuration
	 * @param properties more properties of the application
	 */
	private static void onItems(double secondsPerRow, Class<?> configuration, Check check, String... properties)
			throws Exception {
		withItems(secondsPerRow, (database, jdbc) -> application(database, configuration, properties)
			.run((context) -> check.on(jdbc, context.getBean(DataMigrations.class))));
	}

	/**
	 * On a new PostgreSQL database of 25 items whose count sleeps {@code secondsPerRow} for each row, or
	 * fails below zero, run the work.
	 */
	private static void withItems(double secondsPerRow, Work work) throws Exception {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, TestDatabase.Kind.POSTGRESQL, 25);
			jdbc.execute("create table count_delay (seconds float not null)");
			jdbc.update("insert into count_delay values (?)", secondsPerRow);
			jdbc.execute("""
					create function counted_slowly() returns boolean language plpgsql volatile as $$
					declare delay float := (select seconds from count_delay);
					begin
						if current_query() like 'select count(*)%' then
							if delay < 0 then
								raise exception 'the count fails';
							end if;
							perform pg_sleep(delay);
						end if;
						return true;
					end $$""");
			work.on(database, jdbc);
		}
	}

	private static ApplicationContextRunner application(TestDatabase database, Class<?> configuration,
			String... properties) {
		return MigrationContexts.jdbc(database)
			.withUserConfiguration(configuration)
			.withPropertyValues("data-migrate.on-startup=skip", "data-migrate.batch.pause=200ms")
			.withPropertyValues(properties);
	}

	@FunctionalInterface
	private interface Check {

		void on(JdbcTemplate jdbc, DataMigrations migrations) throws Exception;

	}

	@FunctionalInterface
	private interface Work {

		void on(TestDatabase database, JdbcTemplate jdbc) throws Exception;

	}

	/**
	 * The migration, with the count's query sent half a second after its transaction's first statement,
	 * by when batches have committed.
	 */
	@Configuration(proxyBeanMethods = false)
	@Import(SlowlyCounted.class)
	static class StartedLate {

		@Bean
		static BeanPostProcessor countStartedLate() {
			return Wrapping.dataSources((dataSource) -> {
				Connection connection = dataSource.getConnection();
				if (Thread.currentThread().getName().equals(COUNT_THREAD)) {
					happenings.add("count connected");
					return queriesStartedLate(connection);
				}
				return Wrapping.proxy(Connection.class, connection, (method, args) -> {
					if (method.getName().equals("commit")) {
						happenings.add("commit");
					}
					return method.invoke(connection, args);
				});
			});
		}

		private static Connection queriesStartedLate(Connection connection) {
			return Wrapping.proxy(Connection.class, connection, (method, args) -> {
				Object result = method.invoke(connection, args);
				return (result instanceof PreparedStatement statement)
						? Wrapping.proxy(PreparedStatement.class, statement, (call, callArgs) -> {
							if (!call.getName().equals("executeQuery")) {
								return call.invoke(statement, callArgs);
							}
							Thread.sleep(500);
							Object rows = call.invoke(statement, callArgs);
							happenings.add("counted");
							return rows;
						}) : result;
			});
		}


	}

	@Configuration(proxyBeanMethods = false)
	@Import(InItsOwnTransaction.Migration.class)
	static class InItsOwnTransaction {

		/**
		 * The walk of {@link SlowlyCounted}, in the migration's own transaction.
		 */
		@DataMigration(version = "1")
		static class Migration extends SlowlyCounted.Migration {

			Migration(@Value("${items.update:" + SlowlyCounted.UPDATE + "}") String update) {
				super(update);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(SlowlyCounted.Migration.class)
	static class SlowlyCounted {

		static final String UPDATE = "update items set changes = changes + 1 where id between :first and :last";

		/**
		 * Walks items that leave its filter as they change, five at a time, by the statement
		 * {@code items.update}.
		 */
		@DataMigration(version = "1", transactional = false)
		static class Migration implements DataMigrationTask {

			private final String update;

			Migration(@Value("${items.update:" + UPDATE + "}") String update) {
				this.update = update;
			}

			@Override
			public void migrate(DataMigrationContext context) {
				context.batches("items").where("changes = 0 and counted_slowly()").size(5).update(this.update);
			}

		}

	}

}
