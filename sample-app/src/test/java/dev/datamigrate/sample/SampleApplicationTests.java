package dev.datamigrate.sample;

import java.time.Duration;
import java.util.List;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.RunResult;
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
 * The sample as a new user first runs it: on the in-memory H2 database and the Redis server of the
 * machine, with its own configuration (migrations in the background while the web server serves), only
 * without the pause between batches and with a Redis key prefix of its own.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "data-migrate.batch.pause=0ms")
class SampleApplicationTests implements UsesTestRedis {

	@Autowired
	private DataMigrations migrations;

	@Autowired
	private JdbcTemplate jdbc;

	@LocalServerPort
	private int port;

	@BeforeEach
	void backgroundRunFinished() {
		// the run started on ApplicationReadyEvent, before the test got the context
		await().atMost(Duration.ofSeconds(60)).until(() -> !this.migrations.isRunning());
	}

	@Test
	void migrationsAndPostDeployChangesetRanInTheBackgroundAfterStartup() {
		MigratedData.assertMigrated(this.migrations, this.jdbc, redis());
		assertThat(this.migrations.status().migrations()).extracting(MigrationInfo::triggeredBy)
			.containsOnly("startup");
	}

	@Test
	void endpointShowsThePostDeployChangesetApplied() {
		Response status = new Http(this.port).as("viewer", "viewer").get("/actuator/datamigrations");
		assertThat(status.status()).isEqualTo(200);
		assertThat(status.<Integer>read("$.pending")).isZero();
		assertThat(status.<List<String>>read("$.migrations[*].status")).containsExactly("SUCCEEDED", "SUCCEEDED", "SUCCEEDED");
		assertThat(status.<List<String>>read("$.postDeploy[*].id")).containsExactly(MigratedData.NOT_NULL);
		assertThat(status.<List<Boolean>>read("$.postDeploy[*].applied")).containsExactly(true);
		assertThat(status.<List<String>>read("$.postDeploy[*].description"))
			.containsExactly("Make purpose NOT NULL once BackfillNotifyLogPurpose has filled it");
	}

	@Test
	void runningAgainFindsNothingToDo() {
		RunResult result = this.migrations.runPending();
		assertThat(result.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
		assertThat(result.applied()).isEmpty();
		assertThat(this.migrations.status().migrations()).allSatisfy((migration) -> assertThat(migration.attempts()).isOne());
	}

}
