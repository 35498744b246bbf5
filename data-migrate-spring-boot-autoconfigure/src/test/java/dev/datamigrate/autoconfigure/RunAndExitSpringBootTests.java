package dev.datamigrate.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.fixtures.FailingMigrations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ExitCodeEvent;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @SpringBootTest} of an application in {@code run-and-exit} mode: the run happens as in a
 * Kubernetes Job and its exit code reaches {@code ExitCodeEvent} listeners, but the context stays open
 * for the test and the test JVM goes on (else surefire would report a fork that exited, and this class
 * would never finish).
 */
@SpringBootTest(classes = RunAndExitSpringBootTests.Application.class, webEnvironment = WebEnvironment.NONE,
		properties = { "data-migrate.on-startup=run-and-exit", "spring.datasource.generate-unique-name=true" })
class RunAndExitSpringBootTests {

	static final List<Integer> exitCodes = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void breakTheSecondMigration() {
		FailingMigrations.BROKEN.set(true);
	}

	@Test
	void theExitCodeOfTheRunIsPublishedAndTheTestGoesOn(@Autowired DataMigrationsStartup startup,
			@Autowired DataMigrations migrations) {
		assertThat(exitCodes).as("a migration failed: exit code 1, heard once").containsExactly(1);
		assertThat(startup.getExitCode()).isOne();
		assertThat(migrations.status().find("2")).get()
			.extracting(MigrationInfo::status)
			.isEqualTo(MigrationStatus.FAILED);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
			"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
			"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
			"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
	@Import(FailingMigrations.class)
	static class Application {

		@Bean
		ApplicationListener<ExitCodeEvent> exitCodeRecorder() {
			return (event) -> exitCodes.add(event.getExitCode());
		}

	}

}
