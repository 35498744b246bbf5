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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"data-migrate.batch.target-duration=0ms | data-migrate.batch.target-duration is PT0S; it must be a positive duration | Set data-migrate.batch.target-duration to a duration above 0, such as 100ms.",
			"data-migrate.batch.lock-timeout=-1s | data-migrate.batch.lock-timeout is PT-1S; it must be a positive duration | Set data-migrate.batch.lock-timeout to a duration above 0, such as 2s.",
			"data-migrate.batch.statement-timeout=0s | data-migrate.batch.statement-timeout is PT0S; it must be a positive duration | Set data-migrate.batch.statement-timeout to a duration above 0, such as 30s.",
			"data-migrate.batch.min-size=0 | data-migrate.batch.min-size is 0; it must be a positive number | Set data-migrate.batch.min-size to a number of 1 or more, such as 100.",
			"data-migrate.batch.max-size=-5 | data-migrate.batch.max-size is -5; it must be a positive number | Set data-migrate.batch.max-size to a number of 1 or more, such as 50000.",
			"data-migrate.batch.size=0 | data-migrate.batch.size is 0; it must be a positive number | Set data-migrate.batch.size to a number of 1 or more, or remove it to size batches by time.",
			"data-migrate.batch.retry.max-attempts=0 | data-migrate.batch.retry.max-attempts is 0; it must be a positive number | Set data-migrate.batch.retry.max-attempts to a number of 1 or more, 1 for no retry; the default is 5.",
			"data-migrate.batch.min-size=60000 | data-migrate.batch.min-size (60000) is larger than data-migrate.batch.max-size (50000) | Set data-migrate.batch.min-size to at most data-migrate.batch.max-size.",
			"data-migrate.throttle.interval=0s | data-migrate.throttle.interval is PT0S; it must be a positive duration | Set data-migrate.throttle.interval to a duration above 0, such as 1s.",
			"data-migrate.throttle.max-replication-lag=-1s | data-migrate.throttle.max-replication-lag is PT-1S; it must be zero or positive | Set data-migrate.throttle.max-replication-lag to a duration such as 10s, or 0 to turn the check off.",
			"data-migrate.throttle.max-slot-lag=-1MB | data-migrate.throttle.max-slot-lag is -1048576B; it must be zero or positive | Set data-migrate.throttle.max-slot-lag to a size such as 1GB, or 0 to turn the check off.",
			"data-migrate.throttle.max-threads-running=-1 | data-migrate.throttle.max-threads-running is -1; it must be zero or positive | Set data-migrate.throttle.max-threads-running to a number such as 50, or 0 to turn the check off.",
			"data-migrate.throttle.replicas=replicaOne | data-migrate.throttle.replicas names 'replicaOne', which is no DataSource bean | Name the DataSource beans of the replicas in data-migrate.throttle.replicas, or remove 'replicaOne' from it." })
	void aSettingOutOfItsRangeStopsStartupNamingThePropertyAndTheRange(String property, String description,
			String action) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo(description);
			assertThat(analysis.getAction()).isEqualTo(action);
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
