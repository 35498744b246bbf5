package dev.datamigrate.batch;

import java.time.Duration;
import java.util.List;
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
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A walk with {@code parallel(n)}: its ranges are worked by several workers of one instance, and of
 * every instance that joins, each key exactly once; pause stops all of them, resume goes on from each
 * range's checkpoint; bad input fails before anything changes.
 */
class ParallelWalkTests {

	private static final int ROWS = 20_000;

	private static final Duration BOUND = Duration.ofSeconds(60);

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void workersOfOneInstanceWalkEveryKeyOnce(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			createItems(jdbc, kind, ROWS);
			instance(database, "A", "items.workers=3").run((context) -> {
				RunResult result = context.getBean(DataMigrations.class).runPending();
				assertThat(result.applied()).containsExactly("1");
				MigrationInfo done = context.getBean(DataMigrations.class).status().find("1").orElseThrow();
				assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
				assertThat(done.recordsProcessed()).isEqualTo(ROWS);
				assertThat(done.recordsTotal()).isEqualTo(ROWS);
				assertThat(done.ranges().done()).isEqualTo(16);
				assertThat(done.checkpoint()).isEqualTo("16 of 16 ranges done");
				assertThat(done.ranges().running() + done.ranges().waiting() + done.ranges().failed()).isZero();
			});
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, ROWS));
			assertEveryRangeDoneAtItsUpperBound(jdbc);
			assertThat(jdbc.queryForObject("select count(distinct worker) from items", Integer.class))
				.as("workers that changed rows").isEqualTo(3);
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void anotherInstanceJoinsAndPauseStopsEveryWorkerUntilResumed(TestDatabase.Kind kind) throws Exception {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			createItems(jdbc, kind, ROWS);
			instance(database, "A", "items.workers=2").run((a) -> {
				DataMigrations onA = a.getBean(DataMigrations.class);
				CompletableFuture<RunResult> runOnA = onA.runPendingInBackground("test");
				await().atMost(BOUND).until(() -> rangesOf(jdbc, "RUNNING") > 0);
				instance(database, "B", "items.workers=2").run((b) -> {
					DataMigrations onB = b.getBean(DataMigrations.class);
					CompletableFuture<RunResult> runOnB = onB.runPendingInBackground("test");
					await().atMost(BOUND).until(() -> changedBy(jdbc, "B") > 0);
					MigrationInfo.Ranges walking = onB.status().find("1").orElseThrow().ranges();
					assertThat(walking.running()).isPositive().isLessThanOrEqualTo(4);
					assertThat(walking.workers()).hasSize(walking.running());

					assertThat(onB.pause("1").status()).isEqualTo(MigrationStatus.PAUSED);
					long changedAtPause = changed(jdbc);
					assertThat(runOnA.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(RunResult.Outcome.STOPPED);
					await().atMost(BOUND).until(() -> rangesOf(jdbc, "RUNNING") == 0);
					long changedWhilePaused = changed(jdbc);
					assertThat(changedWhilePaused - changedAtPause).as("rows changed after the pause: at most a batch a worker")
						.isLessThanOrEqualTo(4 * 100);
					assertThat(changedWhilePaused).isLessThan(ROWS);
					assertThat(Items.changeCounts(jdbc)).containsOnlyKeys(0, 1);
					assertThat(runOnB.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(RunResult.Outcome.HALTED);
					assertThat(changed(jdbc)).as("rows changed after every worker stopped").isEqualTo(changedWhilePaused);

					MigrationInfo.Ranges paused = onB.status().find("1").orElseThrow().ranges();
					assertThat(paused.running()).isZero();
					assertThat(paused.workers()).isEmpty();
					assertThat(paused.waiting()).isPositive();

					assertThat(onA.resume("1").status()).isEqualTo(MigrationStatus.PENDING);
					assertThat(onA.runPending().applied()).containsExactly("1");
				});
			});
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, ROWS));
			assertEveryRangeDoneAtItsUpperBound(jdbc);
			assertThat(new JdbcTemplate(dataSource).queryForObject(
					"select records_processed from data_migrations where version = '1'", Long.class)).isEqualTo(ROWS);
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = "POSTGRESQL")
	void noWorkersIsRefusedBeforeAnythingChanges(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			createItems(jdbc, kind, 1_000);
			instance(database, "A", "items.workers=0").run((context) -> {
				RunResult result = context.getBean(DataMigrations.class).runPending();
				assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FAILED);
				assertThat(context.getBean(DataMigrations.class).status().find("1").orElseThrow().error())
					.contains("A parallel walk needs at least 1 worker per instance, not 0");
			});
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(0, 1_000));
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "H2" })
	void aBatchThatFailsFailsTheMigrationNamingItsRangeAndResumesOnRetry(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			createItems(jdbc, kind, ROWS);
			instance(database, "A", "items.workers=3", "items.fail-at=12345").run((context) -> {
				DataMigrations migrations = context.getBean(DataMigrations.class);
				assertThat(migrations.runPending().outcome()).isEqualTo(RunResult.Outcome.FAILED);
				MigrationInfo failed = migrations.status().find("1").orElseThrow();
				assertThat(failed.status()).isEqualTo(MigrationStatus.FAILED);
				assertThat(failed.error()).contains("Range ").contains("failed on ").contains("Item 12345 is broken");
				assertThat(failed.ranges().failed()).isEqualTo(1);
				assertThat(failed.ranges().running()).isZero();
			});
			assertThat(Items.changeCounts(jdbc)).containsOnlyKeys(0, 1);
			instance(database, "A", "items.workers=3").run((context) -> {
				DataMigrations migrations = context.getBean(DataMigrations.class);
				migrations.retry("1");
				assertThat(migrations.runPending().applied()).containsExactly("1");
			});
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, ROWS));
			assertEveryRangeDoneAtItsUpperBound(jdbc);
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = "POSTGRESQL")
	void aCustomLoopsCheckpointInAParallelWalkIsRefusedBeforeAnythingChanges(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			createItems(jdbc, kind, 1_000);
			instance(database, "A", "items.workers=2", "items.checkpoint=true").run((context) -> {
				DataMigrations migrations = context.getBean(DataMigrations.class);
				assertThat(migrations.runPending().outcome()).isEqualTo(RunResult.Outcome.FAILED);
				assertThat(migrations.status().find("1").orElseThrow().error())
					.contains("walks items in parallel, whose ranges keep checkpoints and progress of their own: "
							+ "checkpoint(String) belongs to a custom loop");
			});
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(0, 1_000));
		}
	}

	private static ApplicationContextRunner instance(TestDatabase database, String name, String... properties) {
		return MigrationContexts.jdbc(database)
			.withUserConfiguration(ParallelItems.class)
			.withPropertyValues("instance.name=" + name, "data-migrate.on-startup=skip",
					"data-migrate.lock.lease-duration=3s")
			.withPropertyValues(properties);
	}

	private static void createItems(JdbcTemplate jdbc, TestDatabase.Kind kind, int rows) {
		Items.create(jdbc, kind, rows);
		jdbc.execute("alter table items add worker varchar(100)");
	}

	private static void assertEveryRangeDoneAtItsUpperBound(JdbcTemplate jdbc) {
		List<Map<String, Object>> ranges = jdbc.queryForList("select * from data_migrations_ranges where version = '1'");
		assertThat(ranges).isNotEmpty().allSatisfy((range) -> {
			assertThat(range.get("status")).isEqualTo("DONE");
			assertThat(range.get("checkpoint")).isEqualTo(range.get("last_key"));
		});
		assertThat(ranges.stream().mapToLong((range) -> ((Number) range.get("records_processed")).longValue()).sum())
			.isEqualTo(ROWS);
	}

	private static int rangesOf(JdbcTemplate jdbc, String status) {
		try {
			return jdbc.queryForObject("select count(*) from data_migrations_ranges where status = ?", Integer.class,
					status);
		}
		catch (BadSqlGrammarException ex) {
			// the run that splits the keys has not created the table yet
			return 0;
		}
	}

	private static long changed(JdbcTemplate jdbc) {
		return jdbc.queryForObject("select count(*) from items where changes > 0", Long.class);
	}

	private static long changedBy(JdbcTemplate jdbc, String instance) {
		return jdbc.queryForObject("select count(*) from items where changed_by = ?", Long.class, instance);
	}

	@Configuration(proxyBeanMethods = false)
	@Import(ParallelBackfill.class)
	static class ParallelItems {

	}

	/**
	 * Changes every item once, recording the instance and worker thread that did, in batches of 100
	 * with a short pause so that a test can act while it runs.
	 */
	@DataMigration(version = "1", description = "Backfill items in parallel")
	static class ParallelBackfill implements DataMigrationTask {

		private final JdbcTemplate jdbc;

		private final String instance;

		private final int workers;

		private final long failAt;

		private final boolean checkpoint;

		ParallelBackfill(JdbcTemplate jdbc, @Value("${instance.name}") String instance,
				@Value("${items.workers}") int workers, @Value("${items.fail-at:0}") long failAt,
				@Value("${items.checkpoint:false}") boolean checkpoint) {
			this.jdbc = jdbc;
			this.instance = instance;
			this.workers = workers;
			this.failAt = failAt;
			this.checkpoint = checkpoint;
		}

		@Override
		public void migrate(DataMigrationContext context) {
			context.batches("items").size(100).pause(Duration.ofMillis(10)).parallel(this.workers).run((batch) -> {
				if (this.checkpoint) {
					context.checkpoint(String.valueOf(batch.last()));
				}
				if (batch.first() <= this.failAt && this.failAt <= batch.last()) {
					throw new IllegalStateException("Item " + this.failAt + " is broken");
				}
				return this.jdbc.update("update items set changes = changes + 1, changed_by = ?, worker = ? "
						+ "where id between ? and ?", this.instance, this.instance + Thread.currentThread().getName(),
						batch.first(), batch.last());
			});
		}

	}

}
