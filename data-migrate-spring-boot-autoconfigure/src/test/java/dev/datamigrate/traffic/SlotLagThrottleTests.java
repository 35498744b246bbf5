package dev.datamigrate.traffic;

import java.io.File;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.PrivatePostgres;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built-in logical slot lag check, on a PostgreSQL server of the test's own with
 * {@code wal_level=logical}: a change-data-capture consumer ({@code pg_recvlogical}) that stalls while
 * connected leaves its slot active and falling behind, which holds the backfill once the slot is more
 * than {@code data-migrate.throttle.max-slot-lag} behind; when the consumer goes on, so does the backfill.
 */
class SlotLagThrottleTests {

	private static final int ROWS = 40_000;

	@Test
	void aStalledConsumerOfALogicalSlotHoldsTheBackfillUntilItCatchesUp() throws Exception {
		try (PrivatePostgres server = PrivatePostgres.start()) {
			try (HikariDataSource beforeRestart = server.dataSource()) {
				new JdbcTemplate(beforeRestart).execute("alter system set wal_level = logical");
			}
			server.restart();
			HikariDataSource admin = server.dataSource();
			JdbcTemplate onServer = new JdbcTemplate(admin);
			onServer.execute("select pg_create_logical_replication_slot('cdc', 'test_decoding')");
			Process consumer = new ProcessBuilder(new File(System.getProperty("data-migrate.test.postgres-bin",
					"/usr/lib/postgresql/15/bin"), "pg_recvlogical").getPath(), "-h", "127.0.0.1", "-p",
					String.valueOf(server.port()), "-U", server.username(), "-d", "test", "--slot", "cdc", "--start",
					"-f", "/dev/null", "--status-interval", "1", "--fsync-interval", "1")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			try {
				await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(onServer
					.queryForObject("select active from pg_replication_slots where slot_name = 'cdc'", Boolean.class)));
				String database = ThrottledInstance.createDatabase(server, server.username(), ROWS);
				try (ThrottledInstance instance = ThrottledInstance.start(server, database, server.username(),
						"--data-migrate.throttle.max-slot-lag=16MB", "--data-migrate.throttle.interval=100ms")) {
					instance.runPending();
					await().atMost(Duration.ofSeconds(30)).until(() -> instance.batchesDone() >= 5);
					signal(consumer, "STOP");
					// more WAL than the limit, as the application's own writes would make it
					onServer.execute("create table ballast as select generate_series(1, 500000) as n");
					await().atMost(Duration.ofSeconds(30)).until(
							() -> String.valueOf(instance.throttledBy()).startsWith("logical replication slot 'cdc' is "));
					assertThat(instance.throttledBy()).endsWith("MB behind, above data-migrate.throttle.max-slot-lag (16MB)");
					long held = instance.batchesDone();
					await().during(Duration.ofSeconds(1))
						.atMost(Duration.ofSeconds(3))
						.until(() -> instance.batchesDone() == held);

					signal(consumer, "CONT");
					await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(instance.status()));
				}
				try (HikariDataSource dataSource = ThrottledInstance.dataSource(server, database, server.username())) {
					assertThat(Items.changeCounts(new JdbcTemplate(dataSource))).isEqualTo(Map.of(1, ROWS));
				}
			}
			finally {
				signal(consumer, "CONT");
				consumer.destroy();
				consumer.waitFor(10, TimeUnit.SECONDS);
				admin.close();
			}
		}
	}

	private static void signal(Process process, String signal) throws Exception {
		new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
	}

}
