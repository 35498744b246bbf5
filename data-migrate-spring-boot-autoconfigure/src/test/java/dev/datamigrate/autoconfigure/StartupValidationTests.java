package dev.datamigrate.autoconfigure;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationException;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input stops startup with a message that names the culprit and the way out.
 */
class StartupValidationTests {

	private TestDatabase database;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void createDatabase() {
		this.database = TestDatabase.create(TestDatabase.Kind.H2);
		this.contextRunner = MigrationContexts.jdbc(this.database);
	}

	@AfterEach
	void dropDatabase() {
		this.database.close();
	}

	@Test
	void duplicateVersionsNameBothClasses() {
		this.contextRunner.withUserConfiguration(DuplicateVersions.class).run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo("Data migrations " + Three.class.getName()
					+ " (version 3.0) and " + ThreeAgain.class.getName()
					+ " (version 3) have the same version, as trailing zero segments do not count");
			assertThat(analysis.getAction()).startsWith("Give one of them a new, higher version.");
		});
	}

	@Test
	void malformedVersionNamesTheClassAndTheRule() {
		this.contextRunner.withUserConfiguration(MalformedVersion.class).run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo("Data migration " + Malformed.class.getName()
					+ " has an invalid version: 'v1.2-beta' is not a valid version: use digit segments separated by "
					+ "'.' or '_', such as 2026.03.05.1 or 20260305091000");
			assertThat(analysis.getAction()).isEqualTo("Fix the version in @DataMigration on Malformed.");
		});
	}

	@Test
	void annotatedClassThatIsNoTaskIsNamed() {
		this.contextRunner.withUserConfiguration(NotATaskConfiguration.class).run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo(
					NotATask.class.getName() + " is annotated with @DataMigration but does not implement DataMigrationTask");
			assertThat(analysis.getAction()).contains("Implement dev.datamigrate.DataMigrationTask in NotATask");
		});
	}

	@Test
	void badTableNameIsRejectedBeforeAnySqlRuns() {
		this.contextRunner.withPropertyValues("data-migrate.table-name=data_migrations; drop table users")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).isEqualTo(
						"data-migrate.table-name 'data_migrations; drop table users' is not a valid SQL identifier");
				assertThat(analysis.getAction()).contains("letters, digits and underscores");
			});
	}

	@Test
	void schemaQualifiedTableNameIsAccepted() {
		this.contextRunner.withPropertyValues("data-migrate.table-name=public.ops_history")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void badBaselineVersionIsRejected() {
		this.contextRunner.withPropertyValues("data-migrate.baseline-version=latest").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).startsWith("data-migrate.baseline-version is invalid: 'latest'");
		});
	}

	private static FailureAnalysis analyze(Throwable failure) {
		assertThat(failure).as("startup failure").isNotNull();
		FailureAnalysis analysis = new DataMigrationFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("failure analysis of " + failure).isNotNull();
		assertThat(analysis.getCause()).isInstanceOf(DataMigrationException.class);
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	@Import({ Three.class, ThreeAgain.class })
	static class DuplicateVersions {

	}

	@DataMigration(version = "3.0")
	static class Three implements DataMigrationTask {

		@Override
		public void migrate(DataMigrationContext context) {
		}

	}

	@DataMigration(version = "3")
	static class ThreeAgain implements DataMigrationTask {

		@Override
		public void migrate(DataMigrationContext context) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Malformed.class)
	static class MalformedVersion {

	}

	@DataMigration(version = "v1.2-beta")
	static class Malformed implements DataMigrationTask {

		@Override
		public void migrate(DataMigrationContext context) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(NotATask.class)
	static class NotATaskConfiguration {

	}

	@DataMigration(version = "4")
	static class NotATask {

	}

}
