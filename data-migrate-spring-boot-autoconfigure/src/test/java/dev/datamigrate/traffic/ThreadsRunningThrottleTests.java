package dev.datamigrate.traffic;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.Throttle;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.PrivateMariaDb;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built-in {@code Threads_running} check on a MariaDB server of the test's own: while sessions
 * running long statements push it above {@code data-migrate.throttle.max-threads-running}, the backfill
 * is held back; once they end, it finishes with every row changed once. A walk that turns the built-in
 * checks off runs beside them, asking only its own.
 */
class ThreadsRunningThrottleTests {

	private static final int ROWS = 20_000;

	private static final int BUSY_SESSIONS = 4;

	@Test
	void busySessionsHoldTheBackfillUntilTheyEnd() throws Exception {
		try (PrivateMariaDb server = PrivateMariaDb.start(); var dataSource = server.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, TestDatabase.Kind.MARIADB, ROWS);
			MigrationContexts.jdbc()
				.withPropertyValues(server.properties().toArray(String[]::new))
				.withUserConfiguration(Items.class)
				.withPropertyValues("data-migrate.on-startup=skip", "data-migrate.batch.size=100",
						"data-migrate.batch.pause=20ms", "data-migrate.throttle.max-threads-running=3",
						"data-migrate.throttle.interval=50ms")
				.run((context) -> {
					DataMigrations migrations = context.getBean(DataMigrations.class);
					CompletableFuture<RunResult> run = migrations.runPendingInBackground("test");
					await().atMost(Duration.ofSeconds(30)).until(() -> migration(migrations).batchesDone() >= 5);

					List<CompletableFuture<Void>> busy = new ArrayList<>();
					for (int i = 0; i < BUSY_SESSIONS; i++) {
						busy.add(CompletableFuture.runAsync(() -> sleepInSession(server, 6)));
					}
					await().atMost(Duration.ofSeconds(5))
						.until(() -> String.valueOf(migration(migrations).throttledBy()).startsWith("Threads_running is "));
					MigrationInfo held = migration(migrations);
					assertThat(held.throttledBy()).endsWith("above data-migrate.throttle.max-threads-running (3)");
					assertThat(held.status()).isEqualTo(MigrationStatus.RUNNING);
					await().during(Duration.ofSeconds(1))
						.atMost(Duration.ofSeconds(3))
						.until(() -> migration(migrations).batchesDone() == held.batchesDone());
					assertThat(busy).as("the sessions still run").noneMatch(CompletableFuture::isDone);

					CompletableFuture.allOf(busy.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
					RunResult result = run.get(60, TimeUnit.SECONDS);
					assertThat(result.outcome()).as(String.valueOf(result.error())).isEqualTo(RunResult.Outcome.COMPLETED);
					MigrationInfo done = migration(migrations);
					assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
					assertThat(done.throttledBy()).isNull();
				});
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, ROWS));
		}
	}

	@Test
	void aWalkThatTurnsTheBuiltInChecksOffRunsBesideBusySessionsAndAsksItsOwnCheck() throws Exception {
		try (PrivateMariaDb server = PrivateMariaDb.start(); var dataSource = server.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, TestDatabase.Kind.MARIADB, 5_000);
			List<CompletableFuture<Void>> busy = new ArrayList<>();
			for (int i = 0; i < BUSY_SESSIONS; i++) {
				busy.add(CompletableFuture.runAsync(() -> sleepInSession(server, 30)));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> threadsRunning(jdbc) > BUSY_SESSIONS);
			MigrationContexts.jdbc()
				.withPropertyValues(server.properties().toArray(String[]::new))
				.withUserConfiguration(UnthrottledBackfill.class)
				.withPropertyValues("data-migrate.batch.size=100", "data-migrate.throttle.max-threads-running=3",
						"data-migrate.throttle.interval=10ms")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(busy).as("the sessions still run").noneMatch(CompletableFuture::isDone);
					List<String> asked = context.getBean(UnthrottledBackfill.class).asked;
					assertThat(asked).as("its own check, asked about the walk before its first batch").startsWith("1 items null");
					assertThat(asked).as("and with the last batch's duration later").hasSizeGreaterThan(1)
						.allMatch((walk) -> walk.matches("1 items (null|PT[0-9.]+S)"));
				});
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 5_000));
		}
	}

	private static int threadsRunning(JdbcTemplate jdbc) {
		Integer running = jdbc.queryForObject("show global status like 'Threads_running'", (rs, row) -> rs.getInt(2));
		return (running != null) ? running : 0;
	}

	private static MigrationInfo migration(DataMigrations migrations) {
		return migrations.status().find("1").orElseThrow();
	}

	private static void sleepInSession(PrivateMariaDb server, int seconds) {
		try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
			statement.execute("select sleep(" + seconds + ")");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Backfills the items with the built-in checks off and a check of its own that lets every batch run.
	 */
	@DataMigration(version = "1", description = "Backfill items beside busy sessions")
	static class UnthrottledBackfill implements DataMigrationTask {

		final List<String> asked = new CopyOnWriteArrayList<>();

		@Override
		public void migrate(DataMigrationContext context) {
			context.batches("items")
				.throttle(false)
				.throttle((walk) -> {
					this.asked.add(walk.version() + " " + walk.table() + " " + walk.lastBatchDuration());
					return Throttle.Decision.proceed();
				})
				.update("update items set changes = changes + 1 where id between :first and :last");
		}

	}

}
