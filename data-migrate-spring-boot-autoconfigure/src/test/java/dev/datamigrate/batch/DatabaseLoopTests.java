package dev.datamigrate.batch;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationListener;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.history.BatchLoop;
import dev.datamigrate.history.BoundStatement;
import dev.datamigrate.history.HistoryRecord;
import dev.datamigrate.history.LoopedBatch;
import dev.datamigrate.history.MigrationHistory;
import dev.datamigrate.testsupport.LoggedEvents;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import dev.datamigrate.testsupport.Wrapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * {@code update(sql)} on PostgreSQL with PgJDBC from the second batch on: the database runs the batches
 * in a loop of its own, each committing alone with its owner-guarded record, and the runner reports them
 * in order when the loop returns, those before a failure included.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseLoopTests {

	/** Each batch sleeps 0.05 s in the database, so that a loop of half a second holds about ten. */
	private static final String SLOW_UPDATE = "update items set changes = changes + 1 "
			+ "where id between :first and :last and (select true from pg_sleep(0.05))";

	/** A note with a quote and a backslash. */
	private static final String SKIPPED = "it's \\ skipped";

	/** The DO blocks sent. */
	static final List<String> blocks = new CopyOnWriteArrayList<>();

	/** What the listener was told of each batch's commit. */
	static final List<Instant> commits = new CopyOnWriteArrayList<>();

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "data-migrate.batch.in-database=true",
			"spring.datasource.hikari.connection-init-sql=set client_min_messages = error",
			"data-migrate.batch.in-database=false" })
	void everyBatchCommitsOnceAndIsReportedInOrder(String property, CapturedOutput output) {
		Instant started = Instant.now();
		onItems(100, (jdbc, migrations) -> {
			assertThat(migrations.runPending().applied()).containsExactly("1");
			MigrationInfo done = migrations.status().find("1").orElseThrow();
			assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
			assertThat(done.recordsTotal()).isEqualTo(100);
			assertThat(done.recordsProcessed()).isEqualTo(100);
			assertThat(done.batchesDone()).isEqualTo(20);
			assertThat(done.checkpoint()).isEqualTo("100");
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 100));
		}, SLOW_UPDATE, property);
		List<String> events = LoggedEvents.startAndBatches(output);
		assertThat(events).hasSize(21).first().asString().contains("data_migration_start", "total_records=100");
		for (int number = 1; number <= 20; number++) {
			assertThat(events.get(number)).contains("records_updated=5", "batch_size=5", "batch_processed=" + number + " ",
					"total_batches=20");
		}
		assertThat(commits).hasSize(20).allSatisfy((commit) -> assertThat(commit).isBetween(started, Instant.now()));
		for (int batch = 1; batch < 20; batch++) {
			assertThat(commits.get(batch)).as("each batch's own commit time").isAfter(commits.get(batch - 1));
		}
		if (property.contains("in-database=false")) {
			assertThat(blocks).isEmpty();
		}
		else {
			assertThat(blocks).as("batches 2 to 20, about ten a block, as the sleeps show").hasSizeBetween(2, 5);
			assertThat(blocks).allMatch((block) -> block.startsWith("do $dm$"));
		}
	}

	@Test
	void aLoopEndsBeforeTheSessionsStatementTimeout() {
		onItems(100, (jdbc, migrations) -> {
			assertThat(migrations.runPending().applied()).containsExactly("1");
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 100));
		}, SLOW_UPDATE, "spring.datasource.hikari.connection-init-sql=set statement_timeout = '300ms'");
		assertThat(blocks).as("batches of 0.05 s, no more than 0.15 s of them a block").hasSizeGreaterThan(5);
	}

	@Test
	void signedIntegerKeysAndAFilterWithQuotesAndABackslash() {
		withItems(0, (database, jdbc) -> {
			jdbc.execute("create table signed_items (id integer primary key, note text not null, "
					+ "changes integer default 0 not null)");
			jdbc.update("insert into signed_items (id, note) select g, case when g % 10 = 0 then ? else 'keep' end "
					+ "from generate_series(-50, 49) g", SKIPPED);
			application(database, SignedKeys.class, "").run((context) -> {
				assertThat(context.getBean(DataMigrations.class).runPending().applied()).containsExactly("1");
				MigrationInfo done = context.getBean(DataMigrations.class).status().find("1").orElseThrow();
				assertThat(done.recordsProcessed()).isEqualTo(90);
				assertThat(done.checkpoint()).isEqualTo("49");
			});
			assertThat(jdbc.queryForList("select note || ':' || changes from signed_items group by 1", String.class))
				.containsExactlyInAnyOrder("keep:1", SKIPPED + ":0");
		});
		assertThat(blocks).hasSize(1);
	}

	@Test
	void aRoleWithoutPlpgsqlRunsTheBatchesOneRoundTripEach(CapturedOutput output) {
		withItems(100, (database, jdbc) -> {
			String role = database.name() + "_no_plpgsql";
			jdbc.execute("create role " + role + " login");
			try {
				// the test's schema; the language's right is the whole database's, which only this role lacks:
				// the other tests connect as a superuser
				jdbc.execute("grant usage, create on schema " + database.name() + " to " + role);
				jdbc.execute("grant all on table items to " + role);
				jdbc.execute("revoke usage on language plpgsql from public");
				application(database, ByStatement.class, "update items set changes = changes + 1 where id between "
						+ ":first and :last", "spring.datasource.username=" + role)
					.run((context) -> {
						DataMigrations migrations = context.getBean(DataMigrations.class);
						assertThat(migrations.runPending().applied()).containsExactly("1");
						assertThat(migrations.status().find("1").orElseThrow().batchesDone()).isEqualTo(20);
					});
				assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 100));
			}
			finally {
				jdbc.execute("grant usage on language plpgsql to public");
				jdbc.execute("drop owned by " + role);
				jdbc.execute("drop role " + role);
			}
		});
		assertThat(blocks).as("one try").hasSize(1);
		assertThat(output).contains("The batches of the walk over items cannot run in the database, so each commits "
				+ "in a round trip of its own", "permission denied for language plpgsql");
	}

	@Test
	void aPauseDuringALoopStopsTheWalkAfterACommittedBatchAndTheNextRunGoesOnAfterIt() {
		onItems(200, (jdbc, migrations) -> {
			CompletableFuture<RunResult> run = migrations.runPendingInBackground("test");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> migrations.status().find("1").orElseThrow().batchesDone() >= 10);
			assertThat(migrations.pause("1").status()).isEqualTo(MigrationStatus.PAUSED);
			assertThat(run.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(RunResult.Outcome.STOPPED);
			MigrationInfo paused = migrations.status().find("1").orElseThrow();
			Map<Integer, Integer> changedWhenStopped = Items.changeCounts(jdbc);
			assertThat(paused.status()).isEqualTo(MigrationStatus.PAUSED);
			assertThat(paused.recordsProcessed()).isBetween(50L, 195L);
			assertThat(paused.recordsProcessed()).isEqualTo(paused.batchesDone() * 5)
				.isEqualTo(Long.parseLong(paused.checkpoint()));
			assertThat(changedWhenStopped).isEqualTo(Map.of(1, (int) paused.recordsProcessed(), 0,
					200 - (int) paused.recordsProcessed()));
			Thread.sleep(200);
			assertThat(Items.changeCounts(jdbc)).as("nothing changes once the run has stopped")
				.isEqualTo(changedWhenStopped);

			migrations.resume("1");
			assertThat(migrations.runPending().applied()).containsExactly("1");
			MigrationInfo done = migrations.status().find("1").orElseThrow();
			assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
			assertThat(done.recordsProcessed()).isEqualTo(200);
			assertThat(done.batchesDone()).isEqualTo(40);
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 200));
		}, SLOW_UPDATE);
		assertThat(blocks).isNotEmpty();
	}

	@Test
	void aShutdownDuringALoopStopsTheWalkAfterTheLoopAndTheNextStartResumes() {
		withItems(200, (database, jdbc) -> {
			application(database, ByStatement.class, SLOW_UPDATE).run((context) -> {
				DataMigrations migrations = context.getBean(DataMigrations.class);
				migrations.runPendingInBackground("test");
				await().atMost(Duration.ofSeconds(30))
					.until(() -> migrations.status().find("1").orElseThrow().batchesDone() >= 5);
			});
			MigrationHistory history = new MigrationHistory(jdbc.getDataSource(), "data_migrations");
			HistoryRecord interrupted = history.find("1").orElseThrow();
			assertThat(interrupted.status()).isEqualTo(MigrationStatus.RUNNING);
			assertThat(interrupted.error()).isNull();
			assertThat(interrupted.recordsProcessed()).isLessThan(200)
				.isEqualTo(Long.parseLong(interrupted.checkpoint()));
			assertThat(Items.changeCounts(jdbc)).as("no batch after the loop the shutdown waited for")
				.isEqualTo(Map.of(1, (int) interrupted.recordsProcessed(), 0, 200 - (int) interrupted.recordsProcessed()));

			application(database, ByStatement.class, SLOW_UPDATE).run((context) -> assertThat(
					context.getBean(DataMigrations.class).runPending().applied())
				.containsExactly("1"));
			HistoryRecord resumed = history.find("1").orElseThrow();
			assertThat(resumed.status()).isEqualTo(MigrationStatus.SUCCEEDED);
			assertThat(resumed.attempts()).isEqualTo(2);
			assertThat(resumed.recordsProcessed()).isEqualTo(200);
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 200));
		});
	}

	@Test
	void aTransactionalMigrationsWalkLoopsInTheDatabaseOutsideItsTransaction() {
		onItems(100, InItsOwnTransaction.class, (jdbc, migrations) -> {
			assertThat(migrations.runPending().applied()).containsExactly("1");
			MigrationInfo done = migrations.status().find("1").orElseThrow();
			assertThat(done.batchesDone()).isEqualTo(20);
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 100));
		}, "update items set changes = changes + 1 where id between :first and :last");
		assertThat(blocks).hasSize(1);
	}

	@Test
	void aBatchThatFailsInALoopRollsBackAloneAfterTheBatchesBeforeItAreReported(CapturedOutput output) {
		onItems(100, (jdbc, migrations) -> {
			migrations.runPending();
			MigrationInfo failed = migrations.status().find("1").orElseThrow();
			assertThat(failed.status()).isEqualTo(MigrationStatus.FAILED);
			assertThat(failed.error().lines().findFirst().orElseThrow())
				.contains("update items set changes = changes + 1 / (case when id > 57 then 0 else 1 end) where id "
						+ "between :first and :last", "division by zero");
			assertThat(failed.batchesDone()).isEqualTo(11);
			assertThat(failed.checkpoint()).isEqualTo("55");
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(0, 45, 1, 55));
		}, "update items set changes = changes + 1 / (case when id > 57 then 0 else 1 end) where id between :first "
				+ "and :last");
		assertThat(blocks).as("batches 2 to 11 and the failing one, in one block").hasSize(1);
		assertThat(LoggedEvents.startAndBatches(output)).hasSize(12).last().asString().containsPattern("batch_processed=11\\b");
	}

	@ParameterizedTest(name = "pool auto-commit: {0}")
	@ValueSource(booleans = { true, false })
	void aLoopCommitsNoBatchOnceItsRunHasLostTheMigration(boolean poolAutoCommit) throws Exception {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource();
				var loopSource = database.dataSource()) {
			loopSource.setAutoCommit(poolAutoCommit);
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, TestDatabase.Kind.POSTGRESQL, 1000);
			MigrationHistory history = new MigrationHistory(dataSource, "data_migrations");
			history.createIfAbsent();
			history.insert("1", "Backfill items", "Backfill", MigrationStatus.PENDING);
			history.start("1", Set.of(MigrationStatus.PENDING), "Backfill items", "Backfill", "owner", "host", "test");
			BatchLoop loop = new BatchLoop(
					"select min(id), max(id), count(*) from (select id from items where id > ? order by id limit 5) b",
					"bigint",
					BoundStatement.of("update items set changes = changes + 1 where id between ? and ? "
							+ "and (select true from pg_sleep(0.01))"),
					List.of("first", "last"), 0L, 1, Duration.ofSeconds(10));
			List<LoopedBatch> committed = new ArrayList<>();
			MigrationHistory looping = new MigrationHistory(loopSource, "data_migrations");
			CompletableFuture<Optional<Boolean>> running = CompletableFuture
				.supplyAsync(() -> looping.commitLoop("1", "owner", true, loop, committed::add));
			await().atMost(Duration.ofSeconds(10)).until(() -> history.find("1").orElseThrow().batchesDone() >= 5);
			jdbc.update("update data_migrations set owner_token = 'another run' where version = '1'");
			assertThat(running.get(10, TimeUnit.SECONDS)).as("the run no longer owns the migration").isEmpty();
			long batches = history.find("1").orElseThrow().batchesDone();
			assertThat(committed).extracting(LoopedBatch::number)
				.as("every batch committed reported, in order")
				.containsExactlyElementsOf(LongStream.rangeClosed(1, batches).boxed().toList());
			assertThat(committed).last().extracting(LoopedBatch::checkpoint).isEqualTo(String.valueOf(batches * 5));
			assertThat(Items.changeCounts(jdbc)).as("no batch after the owner changed")
				.isEqualTo(Map.of(1, (int) batches * 5, 0, 1000 - (int) batches * 5));
		}
	}

	/**
	 * On a new PostgreSQL database of {@code rows} items, start an application whose migration walks them
	 * five at a time with the statement, and check it.
	 */
	private static void onItems(int rows, Check check, String statement, String... properties) {
		onItems(rows, ByStatement.class, check, statement, properties);
	}

	private static void onItems(int rows, Class<?> configuration, Check check, String statement,
			String... properties) {
		withItems(rows, (database, jdbc) -> application(database, configuration, statement, properties)
			.run((context) -> check.on(jdbc, context.getBean(DataMigrations.class))));
	}

	private static void withItems(int rows, Work work) {
		blocks.clear();
		commits.clear();
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, TestDatabase.Kind.POSTGRESQL, rows);
			work.on(database, jdbc);
		}
	}

	private static ApplicationContextRunner application(TestDatabase database, Class<?> configuration,
			String statement, String... properties) {
		return MigrationContexts.jdbc(database)
			.withUserConfiguration(configuration)
			.withPropertyValues("data-migrate.on-startup=skip", "items.update=" + statement)
			.withPropertyValues(properties);
	}

	@FunctionalInterface
	private interface Check {

		void on(JdbcTemplate jdbc, DataMigrations migrations) throws Exception;

	}

	@FunctionalInterface
	private interface Work {

		void on(TestDatabase database, JdbcTemplate jdbc);

	}

	/**
	 * Records the DO blocks sent and the commit times the listener is told of.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Recording {

		@Bean
		static BeanPostProcessor recordingBlocks() {
			return Wrapping.dataSources((dataSource) -> recordingBlocks(dataSource.getConnection()));
		}

		@Bean
		DataMigrationListener commitTimes() {
			return new DataMigrationListener() {

				@Override
				public void batchCommitted(String version, int records, Instant committedAt) {
					commits.add(committedAt);
				}

			};
		}

		private static Connection recordingBlocks(Connection connection) {
			return Wrapping.proxy(Connection.class, connection, (method, args) -> {
				Object result = method.invoke(connection, args);
				return method.getName().equals("createStatement") ? recordingBlocks((Statement) result) : result;
			});
		}

		private static Statement recordingBlocks(Statement statement) {
			return Wrapping.proxy(Statement.class, statement, (method, args) -> {
				if (method.getName().equals("execute") && args.length == 1 && ((String) args[0]).startsWith("do ")) {
					blocks.add((String) args[0]);
				}
				return method.invoke(statement, args);
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import({ Recording.class, ByStatement.Migration.class })
	static class ByStatement {

		/** Walks the items five at a time with the statement of {@code items.update}. */
		@DataMigration(version = "1", transactional = false)
		static class Migration implements DataMigrationTask {

			private final String update;

			Migration(@Value("${items.update}") String update) {
				this.update = update;
			}

			@Override
			public void migrate(DataMigrationContext context) {
				context.batches("items").size(5).update(this.update);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import({ Recording.class, SignedKeys.Migration.class })
	static class SignedKeys {

		/** Walks the signed items with a filter that holds a quote and a backslash. */
		@DataMigration(version = "1", transactional = false)
		static class Migration implements DataMigrationTask {

			@Override
			public void migrate(DataMigrationContext context) {
				String filter = "note <> '" + SKIPPED.replace("'", "''") + "'";
				context.batches("signed_items")
					.key("id", Integer.class)
					.where(filter)
					.size(5)
					.update("update signed_items set changes = changes + 1 where id between :first and :last and "
							+ filter);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import({ Recording.class, InItsOwnTransaction.Migration.class })
	static class InItsOwnTransaction {

		/** The walk of {@link ByStatement}, in the migration's own transaction. */
		@DataMigration(version = "1")
		static class Migration extends ByStatement.Migration {

			Migration(@Value("${items.update}") String update) {
				super(update);
			}

		}

	}

}
