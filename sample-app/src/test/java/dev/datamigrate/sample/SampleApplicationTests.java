package dev.datamigrate.sample;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.RunResult;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a new user first runs it: on the in-memory H2 database, with no configuration.
 */
@SpringBootTest
class SampleApplicationTests {

	@Autowired
	private DataMigrations migrations;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void migrationsRanAtStartup() {
		MigratedData.assertMigrated(this.migrations, this.jdbc);
	}

	@Test
	void runningAgainFindsNothingToDo() {
		RunResult result = this.migrations.runPending();
		assertThat(result.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
		assertThat(result.applied()).isEmpty();
		assertThat(this.migrations.status().migrations()).allSatisfy((migration) -> assertThat(migration.attempts()).isOne());
	}

}
