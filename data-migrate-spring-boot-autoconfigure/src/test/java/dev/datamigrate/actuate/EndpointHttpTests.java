package dev.datamigrate.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.datamigrate.testsupport.Http;
import dev.datamigrate.testsupport.Http.Response;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code datamigrations} endpoint, health and meters over HTTP, on a real server on a random
 * port, against PostgreSQL.
 */
class EndpointHttpTests {

	private static final int ROWS = 3_000;

	private TestDatabase database;

	private ConfigurableApplicationContext application;

	private Http http;

	@BeforeEach
	void createDatabase() {
		this.database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
		try (var dataSource = this.database.dataSource()) {
			Items.create(new JdbcTemplate(dataSource), TestDatabase.Kind.POSTGRESQL, ROWS);
		}
	}

	@AfterEach
	void stop() {
		OperationsApplication.BROKEN.set(false);
		if (this.application != null) {
			this.application.close();
		}
		this.database.close();
	}

	@Test
	void everyOperationWithItsStatusCodes() {
		start("--management.endpoint.datamigrations.access=unrestricted");
		OperationsApplication.BROKEN.set(true);

		Response list = this.http.get("/actuator/datamigrations");
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.<Integer>read("$.pending")).isEqualTo(2);
		assertThat(list.<List<String>>read("$.migrations[*].version")).containsExactly("1", "2");
		assertThat(list.<List<String>>read("$.migrations[*].status")).containsExactly("PENDING", "PENDING");
		assertThat(this.http.get("/actuator/datamigrations/1").<String>read("$.description")).isEqualTo("Backfill items");
		assertThat(this.http.get("/actuator/datamigrations/9").status()).isEqualTo(404);

		assertThat(action("1", "dance").status()).isEqualTo(400);
		assertThat(action("1", "dance").<String>read("$.error")).contains("use pause, resume, retry or skip");
		assertThat(action("1", "x".repeat(5000)).<String>read("$.error")).as("the input echoed, cut to 200 characters")
			.contains("'" + "x".repeat(200) + "...'")
			.doesNotContain("x".repeat(201));
		assertThat(action("9", "pause").status()).isEqualTo(404);
		for (String body : List.of("{\"action\": pause}", "pause", "{}", "{\"act\":\"pause\"}")) {
			Response malformed = this.http.post("/actuator/datamigrations/1", body);
			assertThat(malformed.status()).as(body).isEqualTo(400);
			assertThat(malformed.<String>read("$.error")).as(body)
				.endsWith("send a JSON body {\"action\": \"pause\"}, with pause, resume, retry or skip");
		}
		Response notPaused = action("1", "resume");
		assertThat(notPaused.status()).isEqualTo(409);
		assertThat(notPaused.<String>read("$.error")).isEqualTo(
				"Cannot resume data migration 1 while it is PENDING; resume applies to [PAUSED]");

		Response run = this.http.post("/actuator/datamigrations", null);
		assertThat(run.status()).isEqualTo(202);
		assertThat(run.<Boolean>read("$.started")).isTrue();
		assertThat(run.<List<String>>read("$.pending")).containsExactly("1", "2");
		List<Long> processed = watchProgress();
		assertThat(processed).hasSizeGreaterThanOrEqualTo(3).isSorted().doesNotHaveDuplicates();
		assertThat(this.http.post("/actuator/datamigrations", null).status()).as("already running").isEqualTo(409);

		Response paused = action("1", "pause");
		assertThat(paused.status()).isEqualTo(200);
		assertThat(paused.<String>read("$.status")).isEqualTo("PAUSED");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.http.post("/actuator/datamigrations", null)
			.<String>read("$.reason")
			.startsWith("halted by PAUSED migration 1"));
		long atPause = this.http.get("/actuator/datamigrations/1").<Number>read("$.recordsProcessed").longValue();

		Response resumed = action("1", "resume");
		assertThat(resumed.status()).isEqualTo(200);
		assertThat(resumed.<String>read("$.triggeredBy")).isEqualTo("anonymous");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> "FAILED".equals(this.http.get("/actuator/datamigrations/2").read("$.status")));
		Response backfill = this.http.get("/actuator/datamigrations/1");
		assertThat(backfill.<String>read("$.status")).isEqualTo("SUCCEEDED");
		assertThat(backfill.<Number>read("$.recordsProcessed").longValue()).isEqualTo(ROWS).isGreaterThan(atPause);
		assertThat(backfill.<Double>read("$.progress")).isEqualTo(1.0);
		assertThat(backfill.<Integer>read("$.attempts")).isEqualTo(2);
		assertThat(backfill.<Double>read("$.rowsPerSecond")).as("a rate only while it runs").isNull();
		assertThat(backfill.<Number>read("$.etaSeconds")).isNull();

		Response down = this.http.get("/actuator/health/dataMigrations");
		assertThat(down.status()).isEqualTo(503);
		assertThat(down.<String>read("$.status")).isEqualTo("DOWN");
		assertThat(down.<List<String>>read("$.details.failedVersions")).containsExactly("2");
		assertThat(down.<Integer>read("$.details.failed")).isEqualTo(1);
		Response failed = this.http.get("/actuator/datamigrations/2");
		assertThat(failed.<String>read("$.error")).startsWith("java.lang.IllegalStateException: flag store unreachable")
			.as("the message chain, never a stack frame")
			.doesNotContain("\tat ");
		assertThat(failed.<java.util.Map<String, Object>>read("$")).as("every field of SPEC.md, null included")
			.containsKeys("version", "description", "status", "startedAt", "finishedAt", "durationMs", "recordsTotal",
					"recordsProcessed", "progress", "batchesDone", "checkpoint", "attempts", "executedBy", "triggeredBy",
					"error", "batchSize", "throttledBy", "throttledSince", "appVersion", "interrupted", "rowsPerSecond",
					"etaSeconds")
			.containsEntry("throttledBy", null);
		Response halted = this.http.post("/actuator/datamigrations", null);
		assertThat(halted.status()).isEqualTo(409);
		assertThat(halted.<String>read("$.reason")).isEqualTo("halted by FAILED migration 2: retry or skip it first");
		assertThat(scrape()).contains("data_migrations_failed 1.0");

		OperationsApplication.BROKEN.set(false);
		assertThat(action("2", "retry").status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> "SUCCEEDED".equals(this.http.get("/actuator/datamigrations/2").read("$.status")));
		assertThat(this.http.get("/actuator/datamigrations/2").<Number>read("$.recordsProcessed"))
			.as("a migration that neither walks batches nor reports progress has changed an unknown number of rows")
			.isNull();
		Response up = this.http.get("/actuator/health/dataMigrations");
		assertThat(up.status()).isEqualTo(200);
		assertThat(up.<String>read("$.status")).isEqualTo("UP");
		assertThat(up.<Integer>read("$.details.pending")).isZero();

		Response nothing = this.http.post("/actuator/datamigrations", null);
		assertThat(nothing.status()).isEqualTo(200);
		assertThat(nothing.<String>read("$.reason")).isEqualTo("nothing pending");
		assertThat(action("1", "skip").status()).isEqualTo(409);
		// the observation's timer, with Micrometer's error tag
		assertThat(scrape()).contains("data_migration_seconds_count{error=\"none\",outcome=\"succeeded\",version=\"1\"} 1")
			.contains("data_migration_seconds_count{error=\"IllegalStateException\",outcome=\"failed\",version=\"2\"} 1")
			.contains("data_migration_active_seconds_count{version=\"1\"} 0")
			.contains("data_migration_batches_total{version=\"1\"} 30.0");
	}

	@Test
	void writesAreRefusedUnderTheDefaultReadOnlyAccess() {
		start();
		assertThat(this.http.get("/actuator/datamigrations").status()).isEqualTo(200);
		assertThat(this.http.post("/actuator/datamigrations", null).status()).isEqualTo(405);
		assertThat(action("1", "skip").status()).isEqualTo(405);
		assertThat(this.http.get("/actuator/datamigrations").<List<String>>read("$.migrations[*].status"))
			.containsExactly("PENDING", "PENDING");
	}

	/**
	 * Successive reads of a running backfill, with the Prometheus records counter read in between.
	 */
	private List<Long> watchProgress() {
		List<Long> processed = new ArrayList<>();
		List<Double> counted = new ArrayList<>();
		List<Number> rates = new ArrayList<>();
		List<Number> etas = new ArrayList<>();
		List<Long> remaining = new ArrayList<>();
		List<Double> bounds = new ArrayList<>();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(150)).until(() -> {
			Response migration = this.http.get("/actuator/datamigrations/1");
			if ("RUNNING".equals(migration.read("$.status"))) {
				long records = migration.<Number>read("$.recordsProcessed").longValue();
				if (records > 0 && (processed.isEmpty() || records > processed.get(processed.size() - 1))) {
					processed.add(records);
					counted.add(recordsCounter());
					rates.add(migration.read("$.rowsPerSecond"));
					long pauses = migration.<Number>read("$.batchesDone").longValue() - 1;
					bounds.add((pauses > 0) ? records / (pauses * 0.040) : Double.MAX_VALUE);
					etas.add(migration.read("$.etaSeconds"));
					remaining.add(ROWS - records);
				}
			}
			return processed.size() >= 3;
		});
		assertThat(counted).isSorted().doesNotHaveDuplicates();
		for (int i = 0; i < rates.size(); i++) {
			// in its first minute the rate is over the whole run, whose batches had a 40 ms pause between them
			assertThat(rates.get(i).doubleValue()).as("rows per second").isPositive().isLessThan(bounds.get(i));
			long eta = (long) Math.ceil(remaining.get(i) / rates.get(i).doubleValue());
			assertThat(etas.get(i).longValue()).as("seconds to finish at that rate (shown rounded)")
				.isBetween(eta - 1, eta + 1);
		}
		return processed;
	}

	private double recordsCounter() {
		Matcher matcher = Pattern.compile("data_migration_records_total\\{version=\"1\"} ([0-9.E]+)").matcher(scrape());
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

	private String scrape() {
		Response prometheus = this.http.get("/actuator/prometheus");
		assertThat(prometheus.status()).isEqualTo(200);
		return prometheus.body();
	}

	private Response action(String version, String action) {
		return this.http.post("/actuator/datamigrations/" + version, "{\"action\":\"" + action + "\"}");
	}

	private void start(String... extra) {
		List<String> arguments = new ArrayList<>(this.database.arguments());
		arguments.addAll(List.of("--server.port=0", "--data-migrate.on-startup=skip", "--data-migrate.batch.size=100",
				"--data-migrate.batch.pause=40ms", "--management.endpoints.web.exposure.include=datamigrations,health,prometheus",
				"--management.endpoint.health.show-details=always"));
		arguments.addAll(List.of(extra));
		this.application = SpringApplication.run(OperationsApplication.class, arguments.toArray(String[]::new));
		this.http = new Http(((WebServerApplicationContext) this.application).getWebServer().getPort());
	}

}
