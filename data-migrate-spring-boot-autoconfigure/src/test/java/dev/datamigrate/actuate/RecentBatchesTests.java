package dev.datamigrate.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.datamigrate.actuate.endpoint.RecentBatches;
import dev.datamigrate.actuate.endpoint.RecentBatches.RecentBatch;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.Http;
import dev.datamigrate.testsupport.Http.Response;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batches of a migration's current run, kept in memory for the endpoint's single-migration
 * response and the console's chart.
 */
class RecentBatchesTests {

	@Test
	void keepsTheLastThousandBatchesOfTheCurrentRun() {
		RecentBatches recent = new RecentBatches();
		recent.migrationStarted("1");
		for (int i = 1; i <= RecentBatches.LIMIT + 5; i++) {
			recent.batchCommitted("1", i, 100, Duration.ofNanos(1_234_567));
		}
		List<RecentBatch> batches = recent.of("1");
		assertThat(batches).hasSize(RecentBatches.LIMIT);
		assertThat(batches.get(0).records()).as("the oldest five dropped").isEqualTo(6);
		assertThat(batches.get(batches.size() - 1).records()).isEqualTo(RecentBatches.LIMIT + 5);
		assertThat(batches.get(0).durationMs()).isEqualTo(1.23);
		assertThat(batches.get(0).batchSize()).isEqualTo(100);
		assertThat(recent.of("2")).isEmpty();

		recent.migrationStarted("1");
		assertThat(recent.of("1")).as("a new run begins a new list").isEmpty();
	}

	@Test
	void theSingleMigrationResponseShowsTheRunsBatchesAndTheListDoesNot() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
			try (var dataSource = database.dataSource()) {
				Items.create(new JdbcTemplate(dataSource), TestDatabase.Kind.POSTGRESQL, 1_000);
			}
			Instant before = Instant.now();
			String[] arguments = database.arguments().toArray(String[]::new);
			try (ConfigurableApplicationContext application = SpringApplication.run(OperationsApplication.class,
					concat(arguments, "--server.port=0", "--data-migrate.on-startup=run", "--data-migrate.batch.size=100",
							"--management.endpoints.web.exposure.include=datamigrations"))) {
				Http http = new Http(((WebServerApplicationContext) application).getWebServer().getPort());
				Response backfill = http.get("/actuator/datamigrations/1");
				assertThat(backfill.<String>read("$.status")).isEqualTo("SUCCEEDED");
				List<Map<String, Object>> batches = backfill.read("$.recentBatches");
				assertThat(batches).hasSize(10)
					.allSatisfy((batch) -> assertThat(batch).containsOnlyKeys("at", "records", "durationMs", "batchSize")
						.containsEntry("records", 100)
						.containsEntry("batchSize", 100));
				assertThat(batches).extracting((batch) -> Instant.parse((String) batch.get("at")))
					.isSorted()
					.allSatisfy((at) -> assertThat(at).isAfter(before));
				assertThat(batches).extracting((batch) -> ((Number) batch.get("durationMs")).doubleValue())
					.allSatisfy((duration) -> assertThat(duration).isPositive());
				assertThat(http.get("/actuator/datamigrations/2").<List<Object>>read("$.recentBatches"))
					.as("a migration without batches")
					.isEmpty();
				assertThat(http.get("/actuator/datamigrations").<List<Map<String, Object>>>read("$.migrations"))
					.allSatisfy((migration) -> assertThat(migration).doesNotContainKey("recentBatches"));
			}
		}
	}

	private static String[] concat(String[] first, String... second) {
		String[] all = new String[first.length + second.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

}
