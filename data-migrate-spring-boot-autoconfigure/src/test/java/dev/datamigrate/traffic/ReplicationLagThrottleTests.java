package dev.datamigrate.traffic;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.PrivatePostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built-in replication lag check, on a PostgreSQL primary and streaming replica of the test's own:
 * a replica whose replay is paused holds the backfill back within a batch of its lag passing
 * {@code data-migrate.throttle.max-replication-lag}, visibly in the endpoint, until it catches up; a role
 * without the right to read the replicas' figures is warned of and the backfill runs on.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReplicationLagThrottleTests {

	private static PrivatePostgres primary;

	private static PrivatePostgres replica;

	private static HikariDataSource monitor;

	@BeforeAll
	static void startServers() {
		primary = PrivatePostgres.start();
		replica = primary.startReplica();
		replica.awaitStreaming(Duration.ofSeconds(30));
		monitor = primary.dataSource();
	}

	@AfterAll
	static void stopServers() {
		monitor.close();
		replica.close();
		primary.close();
	}

	@Test
	void aReplicaFallingBehindHoldsTheBackfillUntilItCatchesUp() throws Exception {
		int rows = 40_000;
		String database = ThrottledInstance.createDatabase(primary, primary.username(), rows);
		replica.awaitCaughtUp(Duration.ofSeconds(30));
		// checks before nearly every batch (one takes about 40 ms here), so that the hold comes within a batch
		try (ThrottledInstance instance = ThrottledInstance.start(primary, database, primary.username(),
				"--data-migrate.throttle.max-replication-lag=2s", "--data-migrate.throttle.interval=20ms")) {
			instance.runPending();
			await().atMost(Duration.ofSeconds(30)).until(() -> instance.batchesDone() >= 20);
			replica.pauseReplay();
			try {
				await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(30)).until(() -> lagSeconds() > 2.0);
				long atLimit = instance.batchesDone();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> String.valueOf(instance.throttledBy()).startsWith("replication lag of replica"));
				long held = instance.batchesDone();
				assertThat(held - atLimit).as("batches committed after the lag passed the limit").isLessThanOrEqualTo(2);
				assertThat(instance.throttledBy()).contains("above data-migrate.throttle.max-replication-lag (PT2S)");
				assertThat(instance.status()).isEqualTo("RUNNING");
				AtomicLong largestLagMillis = new AtomicLong();
				await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> {
					largestLagMillis.accumulateAndGet((long) (lagSeconds() * 1000), Math::max);
					return instance.batchesDone() == held;
				});
				replica.resumeReplay();
				await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(instance.status()));
				assertThat(instance.throttledBy()).isNull();
				System.out.printf("[data-migrate tests] held by replication lag for %.1f s, largest lag seen %.1f s, "
						+ "%d batches committed after the lag passed 2 s%n", instance.secondsThrottled(),
						largestLagMillis.get() / 1000.0, held - atLimit);
			}
			finally {
				replica.resumeReplay();
			}
		}
		assertEachItemChangedOnce(database, primary.username(), rows);
	}

	@Test
	void aRoleWithoutTheRightToReadReplicaFiguresIsWarnedOfAndTheBackfillRunsOn(CapturedOutput output)
			throws Exception {
		int rows = 10_000;
		try (Connection connection = primary.connect(); Statement statement = connection.createStatement()) {
			statement.execute("create role app login");
		}
		String database = ThrottledInstance.createDatabase(primary, "app", rows);
		replica.pauseReplay();
		try {
			try (ThrottledInstance instance = ThrottledInstance.start(primary, database, "app",
					"--data-migrate.throttle.max-replication-lag=1s", "--data-migrate.throttle.interval=50ms")) {
				instance.runPending();
				await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(instance.status()));
			}
			assertThat(lagSeconds()).as("the lag the check would have held the backfill for").isGreaterThan(1.0);
		}
		finally {
			replica.resumeReplay();
			replica.awaitCaughtUp(Duration.ofSeconds(30));
		}
		assertEachItemChangedOnce(database, "app", rows);
		List<String> warnings = output.getOut().lines().filter((line) -> line.contains("WARN") && line.contains(" dev.datamigrate.")).toList();
		assertThat(warnings).hasSize(2);
		assertThat(warnings).filteredOn((line) -> line.contains("Throttle check PostgreSQL replication lag failed"))
			.singleElement()
			.asString()
			.contains("needs the role pg_read_all_stats, which app lacks: grant pg_monitor");
		assertThat(warnings).filteredOn((line) -> line.contains("Throttle check PostgreSQL anti-wraparound vacuum failed")).hasSize(1);
		assertThat(output.getOut()).doesNotContain("data_migration_throttled");
	}

	/** The largest replay lag of the primary's replicas, as the check reads it; 0 when caught up. */
	private static double lagSeconds() {
		Double lag = new JdbcTemplate(monitor).queryForObject(
				"select coalesce(max(extract(epoch from replay_lag)), 0) from pg_stat_replication", Double.class);
		return (lag != null) ? lag : 0;
	}

	private static void assertEachItemChangedOnce(String database, String user, int rows) {
		try (HikariDataSource dataSource = ThrottledInstance.dataSource(primary, database, user)) {
			assertThat(Items.changeCounts(new JdbcTemplate(dataSource))).isEqualTo(Map.of(1, rows));
		}
	}

}
