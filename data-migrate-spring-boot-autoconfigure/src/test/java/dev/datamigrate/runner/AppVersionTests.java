package dev.datamigrate.runner;

import java.util.Properties;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.fixtures.FailingMigrations;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history records which version of the application ran each migration: its build information when
 * it has some, else {@code spring.application.version}.
 */
class AppVersionTests {

	private final TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2);

	@AfterEach
	void drop() {
		this.database.close();
	}

	@Test
	void theBuildsVersionIsRecordedWithTheRun() {
		Properties build = new Properties();
		build.setProperty("version", "2026.12.4-build.17");
		runner().withBean(BuildProperties.class, () -> new BuildProperties(build))
			.withPropertyValues("spring.application.version=ignored")
			.run((context) -> assertThat(ranBy(context.getBean(DataMigrations.class))).isEqualTo("2026.12.4-build.17"));
	}

	@Test
	void withoutBuildInformationTheApplicationVersionIsRecorded() {
		runner().withPropertyValues("spring.application.version=3.1.0")
			.run((context) -> assertThat(ranBy(context.getBean(DataMigrations.class))).isEqualTo("3.1.0"));
	}

	private static String ranBy(DataMigrations migrations) {
		migrations.runPending();
		assertThat(migrations.status().find("3").orElseThrow().appVersion()).as("a migration that has not run, held by the failed one")
			.isNull();
		return migrations.status().find("1").orElseThrow().appVersion();
	}

	private ApplicationContextRunner runner() {
		return MigrationContexts.jdbc(this.database)
			.withUserConfiguration(FailingMigrations.class)
			.withPropertyValues("data-migrate.on-startup=skip");
	}

}
