package dev.datamigrate.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.datamigrate.testsupport.Http;
import dev.datamigrate.testsupport.Http.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's operations over HTTP, as the README's curl session uses them: who may read, who may
 * act, and what an operator's actions do. Nothing runs at startup here, so the tests find the
 * migrations pending; short pauses between batches leave time to pause the backfill.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "data-migrate.on-startup=skip", "data-migrate.batch.pause=50ms" })
class SampleOperationsTests implements UsesTestRedis {

	private static final String LIST = "/actuator/datamigrations";

	private static final String BACKFILL = LIST + "/" + MigratedData.BACKFILL;

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcTemplate jdbc;

	private Http anonymous;

	private Http viewer;

	private Http ops;

	@BeforeEach
	void clients() {
		this.anonymous = new Http(this.port);
		this.viewer = this.anonymous.as("viewer", "viewer");
		this.ops = this.anonymous.as("ops", "ops");
	}

	@Test
	void anonymousCallersMustSignInExceptForHealthStatus() {
		assertThat(this.anonymous.get(LIST).status()).isEqualTo(401);
		assertThat(this.anonymous.get(BACKFILL).status()).isEqualTo(401);
		assertThat(this.anonymous.post(LIST, null).status()).isEqualTo(401);
		assertThat(action(this.anonymous, "pause").status()).isEqualTo(401);
		assertThat(this.anonymous.get("/actuator/prometheus").status()).isEqualTo(401);
		assertThat(this.anonymous.get("/actuator").status()).isEqualTo(401);
		assertThat(this.anonymous.as("ops", "wrong").get(LIST).status()).isEqualTo(401);

		Response health = this.anonymous.get("/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.<String>read("$.status")).isEqualTo("UP");
		assertThat(health.json().<Map<String, Object>>read("$")).doesNotContainKey("components");
		assertThat(this.anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
	}

	@Test
	void viewerReadsButCannotAct() {
		Response list = this.viewer.get(LIST);
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.<List<String>>read("$.migrations[*].version")).containsExactly(MigratedData.BACKFILL,
				MigratedData.FLAGS, MigratedData.REDIS_FLAGS);
		assertThat(list.<List<String>>read("$.postDeploy[*].id")).containsExactly(MigratedData.NOT_NULL);
		Response one = this.viewer.get(BACKFILL);
		assertThat(one.status()).isEqualTo(200);
		assertThat(one.<String>read("$.description")).isEqualTo("Backfill purpose on notify_log_entries");

		assertThat(this.viewer.post(LIST, null).status()).isEqualTo(403);
		for (String action : List.of("pause", "resume", "retry", "skip")) {
			assertThat(action(this.viewer, action).status()).as(action).isEqualTo(403);
		}
		assertThat(this.viewer.get("/actuator/prometheus").status()).isEqualTo(403);

		Response health = this.viewer.get("/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.<String>read("$.components.dataMigrations.status")).isEqualTo("UP");
		assertThat(health.json().<Map<String, Object>>read("$.components.dataMigrations.details"))
			.containsKeys("pending", "running", "failed");
	}

	@Test
	void opsRunsPausesAndResumesAndIsRecordedAsWhoAsked() {
		Response run = this.ops.post(LIST, null);
		assertThat(run.status()).isEqualTo(202);
		assertThat(run.<Boolean>read("$.started")).isTrue();
		assertThat(run.<List<String>>read("$.pending")).containsExactly(MigratedData.BACKFILL, MigratedData.FLAGS,
				MigratedData.REDIS_FLAGS);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.viewer.get(BACKFILL).<Number>read("$.recordsProcessed").longValue() >= 200);
		assertThat(this.viewer.get(BACKFILL).<String>read("$.triggeredBy")).isEqualTo("ops");

		Response paused = action(this.ops, "pause");
		assertThat(paused.status()).isEqualTo(200);
		assertThat(paused.<String>read("$.status")).isEqualTo("PAUSED");
		assertThat(paused.<String>read("$.triggeredBy")).isEqualTo("ops");
		// the run stops after its current batch; the queue is halted until the backfill is resumed
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.ops.post(LIST, null).status() == 409);
		Response halted = this.ops.post(LIST, null);
		assertThat(halted.<String>read("$.reason"))
			.isEqualTo("halted by PAUSED migration " + MigratedData.BACKFILL + ": resume or skip it first");
		Response atPause = this.viewer.get(BACKFILL);
		long processedAtPause = atPause.<Number>read("$.recordsProcessed").longValue();
		assertThat(processedAtPause).isBetween(200L, 4900L);
		assertThat(atPause.<String>read("$.checkpoint")).isNotNull();
		assertThat(MigratedData.purposeNullable(this.jdbc)).as("post-deploy waits for the backfill").isTrue();

		Response resumed = action(this.ops, "resume");
		assertThat(resumed.status()).isEqualTo(200);
		assertThat(resumed.<String>read("$.status")).isEqualTo("PENDING");
		assertThat(resumed.<String>read("$.triggeredBy")).isEqualTo("ops");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.viewer.get(LIST).<List<Boolean>>read("$.postDeploy[*].applied").equals(List.of(true)));

		Response done = this.viewer.get(LIST);
		assertThat(done.<List<String>>read("$.migrations[*].status")).containsExactly("SUCCEEDED", "SUCCEEDED",
				"SUCCEEDED");
		assertThat(done.<List<String>>read("$.migrations[*].triggeredBy")).containsExactly("ops", "ops", "ops");
		assertThat(redis().count()).as("flags in Redis").isEqualTo(4);
		Response backfill = this.viewer.get(BACKFILL);
		assertThat(backfill.<Number>read("$.recordsProcessed").longValue()).isEqualTo(5000);
		assertThat(backfill.<Integer>read("$.attempts")).as("continued from its checkpoint").isEqualTo(2);
		assertThat(MigratedData.purposeNullable(this.jdbc)).isFalse();
		assertThat(this.jdbc.queryForObject("select count(*) from notify_log_entries where purpose is null", Long.class))
			.isZero();

		Response nothing = this.ops.post(LIST, null);
		assertThat(nothing.status()).isEqualTo(200);
		assertThat(nothing.<String>read("$.reason")).isEqualTo("nothing pending");
		assertThat(action(this.ops, "skip").status()).as("a finished migration cannot be skipped").isEqualTo(409);
		assertThat(action(this.ops, "dance").status()).isEqualTo(400);

		Response scrape = this.ops.get("/actuator/prometheus");
		assertThat(scrape.status()).isEqualTo(200);
		assertThat(scrape.body())
			.contains("data_migration_records_total{version=\"" + MigratedData.BACKFILL + "\"} 5000.0")
			.contains("data_migration_seconds_count{error=\"none\",outcome=\"stopped\",version=\"" + MigratedData.BACKFILL
					+ "\"} 1")
			.contains("data_migration_seconds_count{error=\"none\",outcome=\"succeeded\",version=\"" + MigratedData.BACKFILL
					+ "\"} 1")
			.contains("data_migrations_failed 0.0");
		assertThat(this.anonymous.as("prometheus", "prometheus").get("/actuator/prometheus").status()).isEqualTo(200);
		assertThat(this.anonymous.as("prometheus", "prometheus").get(LIST).status()).as("metrics only")
			.isEqualTo(403);
	}

	private Response action(Http http, String action) {
		return http.post(BACKFILL, "{\"action\":\"" + action + "\"}");
	}

}
