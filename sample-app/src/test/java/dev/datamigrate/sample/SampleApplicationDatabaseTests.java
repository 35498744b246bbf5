package dev.datamigrate.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.testsupport.Http;
import dev.datamigrate.testsupport.Http.Response;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample on real servers, each time in a fresh schema or database and under a Redis key prefix of its
 * own: the changelog, the migrations and the post-deploy changeset must work there as they do on H2. The
 * servers come from {@code DatabaseServers}: the environment, Testcontainers, or localhost; the test fails
 * if none answers, as it does without Redis.
 */
class SampleApplicationDatabaseTests {

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void migratesOnceOnAFreshDatabase(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); TestRedis redis = TestRedis.create()) {
			// run mode: the migrations and the post-deploy changeset before the application is ready
			try (ConfigurableApplicationContext context = start(database, redis, "--data-migrate.on-startup=run")) {
				MigratedData.assertMigrated(context.getBean(DataMigrations.class), context.getBean(JdbcTemplate.class),
						redis);
			}
			// the next instance, or the next deploy, finds the migrations done and leaves them alone
			try (ConfigurableApplicationContext context = start(database, redis, "--data-migrate.on-startup=run")) {
				assertThat(context.getBean(DataMigrations.class).status().migrations()).extracting(MigrationInfo::attempts)
					.containsOnly(1);
			}
		}
	}

	/**
	 * The post-deploy way of GitLab's SKIP_POST_DEPLOYMENT_MIGRATIONS: instances start with nothing run,
	 * then an operator runs the migrations, and with them the post-deploy changeset, through the
	 * endpoint.
	 */
	@Test
	void opsRunsTheMigrationsAndThePostDeployChangesetThroughTheEndpointOnPostgresql() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				TestRedis redis = TestRedis.create();
				ConfigurableApplicationContext context = start(database, redis, "--data-migrate.on-startup=skip")) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			Http anonymous = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
			Http viewer = anonymous.as("viewer", "viewer");
			assertThat(anonymous.get("/actuator/datamigrations").status()).isEqualTo(401);
			Response before = viewer.get("/actuator/datamigrations");
			assertThat(before.<List<String>>read("$.migrations[*].status")).containsExactly("PENDING", "PENDING",
					"PENDING");
			assertThat(before.<List<Boolean>>read("$.postDeploy[*].applied")).containsExactly(false);
			assertThat(MigratedData.purposeNullable(jdbc)).isTrue();
			assertThat(viewer.post("/actuator/datamigrations", null).status()).isEqualTo(403);

			Response run = anonymous.as("ops", "ops").post("/actuator/datamigrations", null);
			assertThat(run.status()).isEqualTo(202);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> viewer.get("/actuator/datamigrations")
					.<List<Boolean>>read("$.postDeploy[*].applied")
					.equals(List.of(true)));
			MigratedData.assertMigrated(context.getBean(DataMigrations.class), jdbc, redis);
			assertThat(viewer.get("/actuator/datamigrations").<List<String>>read("$.migrations[*].triggeredBy"))
				.containsExactly("ops", "ops", "ops");
		}
	}

	private static ConfigurableApplicationContext start(TestDatabase database, TestRedis redis, String... arguments) {
		List<String> all = new ArrayList<>(database.arguments());
		all.addAll(redis.arguments());
		all.addAll(List.of("--server.port=0", "--data-migrate.batch.pause=0ms"));
		all.addAll(List.of(arguments));
		return SpringApplication.run(SampleApplication.class, all.toArray(String[]::new));
	}

}
