package dev.datamigrate.traffic;

import java.time.Duration;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.Http.Response;
import dev.datamigrate.testsupport.PrivatePostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application's own throttles, on a PostgreSQL server of the test's own: a flag that holds the
 * backfill back, visibly in the endpoint and the meters, while pausing still works; and a check that
 * throws, which is warned of once while the backfill runs on.
 */
@ExtendWith(OutputCaptureExtension.class)
class UserThrottleTests {

	private static final int ROWS = 5_000;

	private static PrivatePostgres server;

	@BeforeAll
	static void startServer() {
		server = PrivatePostgres.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@AfterEach
	void clearFlags() {
		ThrottledApplication.HOLD.set(false);
		ThrottledApplication.BROKEN.set(false);
	}

	@Test
	void aFlagHoldsTheBackfillVisiblyAndAPauseWhileHeldPausesIt() throws Exception {
		String database = ThrottledInstance.createDatabase(server, server.username(), ROWS);
		try (ThrottledInstance instance = ThrottledInstance.start(server, database, server.username(),
				"--data-migrate.throttle.interval=100ms")) {
			instance.runPending();
			await().atMost(Duration.ofSeconds(30)).until(() -> instance.batchesDone() >= 5);

			ThrottledApplication.HOLD.set(true);
			await().atMost(Duration.ofSeconds(10)).until(() -> ThrottledApplication.REASON.equals(instance.throttledBy()));
			Response held = instance.migration();
			assertThat(held.<String>read("$.status")).isEqualTo("RUNNING");
			assertThat(held.<String>read("$.throttledSince")).isNotNull();
			assertThat(instance.throttledGauge()).isEqualTo(1.0);
			long heldAt = instance.batchesDone();
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> instance.batchesDone() == heldAt);

			assertThat(instance.http().post("/actuator/datamigrations/1", "{\"action\":\"pause\"}").status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !instance.bean(DataMigrations.class).isRunning() && instance.throttledGauge() == 0.0);
			Response paused = instance.migration();
			assertThat(paused.<String>read("$.status")).isEqualTo("PAUSED");
			assertThat(paused.<String>read("$.throttledBy")).isNull();
			assertThat(instance.batchesDone()).isEqualTo(heldAt);

			ThrottledApplication.HOLD.set(false);
			assertThat(instance.http().post("/actuator/datamigrations/1", "{\"action\":\"resume\"}").status())
				.as("resuming starts a run").isEqualTo(200);
			await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(instance.status()));
			assertThat(instance.throttledBy()).isNull();
			assertThat(instance.secondsThrottled()).as("seconds held").isGreaterThan(1.0);
		}
		assertEachItemChangedOnce(database);
	}

	@Test
	void aCheckThatThrowsIsWarnedOfOnceAndTheBackfillRunsOn(CapturedOutput output) throws Exception {
		ThrottledApplication.BROKEN.set(true);
		String database = ThrottledInstance.createDatabase(server, server.username(), ROWS);
		try (ThrottledInstance instance = ThrottledInstance.start(server, database, server.username(),
				"--data-migrate.throttle.interval=100ms")) {
			instance.runPending();
			await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(instance.status()));
		}
		assertEachItemChangedOnce(database);
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN") && line.contains(" dev.datamigrate.")).toList()).singleElement()
			.asString()
			.contains("Throttle check bean 'latencyGauge' failed")
			.contains("latency gauge http.server.requests is not registered");
		assertThat(output.getOut()).doesNotContain("data_migration_throttled");
	}

	private static void assertEachItemChangedOnce(String database) {
		try (HikariDataSource dataSource = ThrottledInstance.dataSource(server, database, server.username())) {
			assertThat(Items.changeCounts(new JdbcTemplate(dataSource))).isEqualTo(Map.of(1, ROWS));
		}
	}

}
