package dev.datamigrate.runner;

import java.util.Map;

import dev.datamigrate.database.Database;
import dev.datamigrate.DataMigrationException;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.fixtures.BodyRuns;
import dev.datamigrate.fixtures.FailingMigrations;
import dev.datamigrate.history.HistoryRecord;
import dev.datamigrate.history.MigrationHistory;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migration that throws: FAILED with its error, the queue halted, startup failed naming it, and a
 * retry that lets the queue go on.
 */
class FailurePolicyTests {

	@AfterEach
	void repair() {
		FailingMigrations.BROKEN.set(true);
	}

	@Test
	void theWayOutNamesTheEndpointUnderTheApplicationsManagementPathWhenItIsExposed() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2)) {
			MigrationContexts.jdbc(database)
				.withUserConfiguration(FailingMigrations.class)
				.withPropertyValues("management.endpoints.web.exposure.include=health,datamigrations",
						"management.endpoints.web.base-path=/management")
				.run((context) -> assertThat(findCause(context.getStartupFailure()).getAction())
					.contains("POST /management/datamigrations/2 {\"action\":\"retry\"} (with "
							+ "management.endpoint.datamigrations.access=unrestricted)")
					.contains("{\"action\":\"skip\"}"));
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void failedMigrationHaltsTheQueueAndFailsStartupUntilRetried(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind)) {
			MigrationContexts.jdbc(database).withUserConfiguration(FailingMigrations.class).run((context) -> {
				assertThat(context).hasFailed();
				DataMigrationException failure = findCause(context.getStartupFailure());
				assertThat(failure.getMessage()).contains("Data migration 2 (Move flags to the new store, "
						+ FailingMigrations.Broken.class.getName() + ") failed")
					.contains("java.io.IOException: flag store unreachable");
				assertThat(failure.getAction()).contains("data-migrate.retry-failed=true")
					.contains("DataMigrations.retry(\"2\")")
					.contains("once it is exposed (management.endpoints.web.exposure.include=datamigrations)")
					.doesNotContain("POST")
					.contains("data-migrate.on-startup=skip");
			});
			try (var dataSource = database.dataSource()) {
				JdbcTemplate jdbc = new JdbcTemplate(dataSource);
				MigrationHistory history = new MigrationHistory(dataSource, Database.of(dataSource), "data_migrations");
				HistoryRecord failed = history.find("2").orElseThrow();
				assertThat(failed.status()).isEqualTo(MigrationStatus.FAILED);
				assertThat(failed.error()).startsWith("java.io.IOException: flag store unreachable");
				assertThat(failed.ownerToken()).isNull();
				assertThat(history.find("3").orElseThrow().status()).isEqualTo(MigrationStatus.PENDING);
				assertThat(BodyRuns.counts(jdbc)).as("the failed migration's write rolled back; 3 never ran")
					.isEqualTo(Map.of("1", 1));
			}

			MigrationContexts.jdbc(database).withUserConfiguration(FailingMigrations.class).run((context) -> {
				DataMigrationException failure = findCause(context.getStartupFailure());
				assertThat(failure.getMessage()).contains("Data migration 2 (Move flags to the new store")
					.contains("failed in an earlier run and halts the queue: java.io.IOException: flag store unreachable");
			});

			FailingMigrations.BROKEN.set(false);
			MigrationContexts.jdbc(database)
				.withUserConfiguration(FailingMigrations.class)
				.withPropertyValues("data-migrate.on-startup=skip")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					DataMigrations migrations = context.getBean(DataMigrations.class);
					assertThat(migrations.retry("2").status()).isEqualTo(MigrationStatus.PENDING);
					RunResult result = migrations.runPending();
					assertThat(result.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
					assertThat(result.applied()).containsExactly("2", "3");
					assertThat(migrations.status().migrations()).extracting(MigrationInfo::status)
						.containsOnly(MigrationStatus.SUCCEEDED);
					assertThat(migrations.status().find("2").orElseThrow().attempts()).isEqualTo(2);
					assertThat(BodyRuns.counts(context.getBean(JdbcTemplate.class)))
						.isEqualTo(Map.of("1", 1, "2", 1, "3", 1));
				});
		}
	}

	@Test
	void retryFailedRunsAFailedMigrationAgainAtStartup() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2)) {
			MigrationContexts.jdbc(database).withUserConfiguration(FailingMigrations.class).run((context) -> {
				assertThat(context).hasFailed();
			});
			FailingMigrations.BROKEN.set(false);
			MigrationContexts.jdbc(database)
				.withUserConfiguration(FailingMigrations.class)
				.withPropertyValues("data-migrate.retry-failed=true")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(DataMigrations.class).status().migrations())
						.extracting(MigrationInfo::status)
						.containsOnly(MigrationStatus.SUCCEEDED);
				});
		}
	}

	@Test
	void skipReleasesTheQueueWithoutRunningTheMigration() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2)) {
			MigrationContexts.jdbc(database).withUserConfiguration(FailingMigrations.class).run((context) -> {
				assertThat(context).hasFailed();
			});
			MigrationContexts.jdbc(database)
				.withUserConfiguration(FailingMigrations.class)
				.withPropertyValues("data-migrate.on-startup=skip")
				.run((context) -> {
					DataMigrations migrations = context.getBean(DataMigrations.class);
					assertThat(migrations.skip("2").status()).isEqualTo(MigrationStatus.SKIPPED);
					assertThat(migrations.runPending().applied()).containsExactly("3");
					assertThat(BodyRuns.counts(context.getBean(JdbcTemplate.class))).isEqualTo(Map.of("1", 1, "3", 1));
				});
		}
	}

	private static DataMigrationException findCause(Throwable failure) {
		Throwable candidate = failure;
		while (candidate != null && !(candidate instanceof DataMigrationException)) {
			candidate = candidate.getCause();
		}
		assertThat(candidate).as("a DataMigrationException in the startup failure").isNotNull();
		return (DataMigrationException) candidate;
	}

}
