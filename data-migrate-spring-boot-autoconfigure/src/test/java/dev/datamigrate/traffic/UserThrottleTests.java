package dev.datamigrate.traffic;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.Http;
import dev.datamigrate.testsupport.Http.Response;
import dev.datamigrate.testsupport.PrivatePostgres;
import dev.datamigrate.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
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

	private String database;

	private HikariDataSource dataSource;

	private ConfigurableApplicationContext application;

	private Http http;

	@BeforeAll
	static void startServer() {
		server = PrivatePostgres.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@BeforeEach
	void createDatabase() throws Exception {
		this.database = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
			statement.execute("create database " + this.database);
		}
		this.dataSource = server.dataSource();
		this.dataSource.setJdbcUrl(server.jdbcUrl(this.database));
		Items.create(new JdbcTemplate(this.dataSource), TestDatabase.Kind.POSTGRESQL, ROWS);
	}

	@AfterEach
	void stop() {
		ThrottledApplication.HOLD.set(false);
		ThrottledApplication.BROKEN.set(false);
		if (this.application != null) {
			this.application.close();
		}
		this.dataSource.close();
	}

	@Test
	void aFlagHoldsTheBackfillVisiblyAndAPauseWhileHeldPausesIt() {
		start();
		assertThat(this.http.post("/actuator/datamigrations", null).status()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(30)).until(() -> batchesDone() >= 5);

		ThrottledApplication.HOLD.set(true);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ThrottledApplication.REASON.equals(migration().read("$.throttledBy")));
		Response held = migration();
		assertThat(held.<String>read("$.status")).isEqualTo("RUNNING");
		assertThat(held.<String>read("$.throttledSince")).isNotNull();
		assertThat(throttledGauge()).isEqualTo(1.0);
		long heldAt = batchesDone();
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> batchesDone() == heldAt);

		assertThat(this.http.post("/actuator/datamigrations/1", "{\"action\":\"pause\"}").status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !this.application.getBean(DataMigrations.class).isRunning() && throttledGauge() == 0.0);
		Response paused = migration();
		assertThat(paused.<String>read("$.status")).isEqualTo("PAUSED");
		assertThat(paused.<String>read("$.throttledBy")).isNull();
		assertThat(batchesDone()).isEqualTo(heldAt);

		ThrottledApplication.HOLD.set(false);
		assertThat(this.http.post("/actuator/datamigrations/1", "{\"action\":\"resume\"}").status())
			.as("resuming starts a run").isEqualTo(200);
		await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(migration().read("$.status")));
		assertThat(migration().<String>read("$.throttledBy")).isNull();
		assertThat(Items.changeCounts(new JdbcTemplate(this.dataSource))).isEqualTo(Map.of(1, ROWS));
		assertThat(this.application.getBean(MeterRegistry.class)
			.get("data.migration.throttled.duration")
			.tag("version", "1")
			.counter()
			.count()).as("seconds held").isGreaterThan(1.0);
	}

	@Test
	void aCheckThatThrowsIsWarnedOfOnceAndTheBackfillRunsOn(CapturedOutput output) {
		ThrottledApplication.BROKEN.set(true);
		start();
		assertThat(this.http.post("/actuator/datamigrations", null).status()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(migration().read("$.status")));
		assertThat(Items.changeCounts(new JdbcTemplate(this.dataSource))).isEqualTo(Map.of(1, ROWS));
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN")).toList()).singleElement()
			.asString()
			.contains(ThrottledApplication.LatencyGauge.class.getName())
			.contains("latency gauge http.server.requests is not registered");
		assertThat(output.getOut()).doesNotContain("data_migration_throttled");
	}

	private void start(String... extra) {
		List<String> arguments = new ArrayList<>(List.of("--spring.datasource.url=" + server.jdbcUrl(this.database),
				"--spring.datasource.username=" + server.username(), "--spring.datasource.password=",
				"--server.port=0", "--data-migrate.on-startup=skip", "--data-migrate.batch.size=100",
				"--data-migrate.batch.pause=20ms", "--data-migrate.throttle.interval=100ms",
				"--management.endpoint.datamigrations.access=unrestricted",
				"--management.endpoints.web.exposure.include=datamigrations"));
		arguments.addAll(List.of(extra));
		this.application = SpringApplication.run(ThrottledApplication.class, arguments.toArray(String[]::new));
		this.http = new Http(((WebServerApplicationContext) this.application).getWebServer().getPort());
	}

	private Response migration() {
		return this.http.get("/actuator/datamigrations/1");
	}

	private long batchesDone() {
		return ((Number) migration().read("$.batchesDone")).longValue();
	}

	private double throttledGauge() {
		return this.application.getBean(MeterRegistry.class)
			.get("data.migration.throttled")
			.tag("version", "1")
			.gauge()
			.value();
	}

}
