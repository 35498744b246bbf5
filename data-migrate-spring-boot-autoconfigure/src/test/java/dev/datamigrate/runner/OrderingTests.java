package dev.datamigrate.runner;

import java.util.Map;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.fixtures.BodyRuns;
import dev.datamigrate.fixtures.RecordingMigration;
import dev.datamigrate.fixtures.FiveMigrations;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class OrderingTests {

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void runsMigrationsOnceInNumericVersionOrder(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind)) {
			MigrationContexts.jdbc(database).withUserConfiguration(FiveMigrations.class).run((context) -> {
				assertThat(context).hasNotFailed();
				var migrations = context.getBean(DataMigrations.class).status().migrations();
				assertThat(migrations).extracting(MigrationInfo::version)
					.containsExactly("1.2", "1_3_1", "1.9", "1.10", "2");
				assertThat(migrations).extracting(MigrationInfo::status).containsOnly(MigrationStatus.SUCCEEDED);
				assertThat(migrations).extracting(MigrationInfo::startedAt).isSorted();
				assertThat(migrations).extracting(MigrationInfo::triggeredBy).containsOnly("startup");
				assertThat(BodyRuns.counts(context.getBean(JdbcTemplate.class)))
					.isEqualTo(Map.of("1.2", 1, "1_3_1", 1, "1.9", 1, "1.10", 1, "2", 1));
			});
			MigrationContexts.jdbc(database).withUserConfiguration(FiveMigrations.class).run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(BodyRuns.counts(context.getBean(JdbcTemplate.class))).allSatisfy(
						(version, runs) -> assertThat(runs).as("runs of %s after a restart", version).isOne());
			});
		}
	}

	@Test
	void pendingVersionLowerThanAnAppliedOneStillRuns() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2)) {
			MigrationContexts.jdbc(database).withUserConfiguration(FiveMigrations.class).run((context) -> {
				assertThat(context).hasNotFailed();
			});
			MigrationContexts.jdbc(database)
				.withUserConfiguration(FiveMigrations.class, MergedFromABranch.class)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					MigrationInfo merged = context.getBean(DataMigrations.class).status().find("1.5").orElseThrow();
					assertThat(merged.status()).isEqualTo(MigrationStatus.SUCCEEDED);
					assertThat(BodyRuns.counts(context.getBean(JdbcTemplate.class))).containsEntry("1.5", 1)
						.hasSize(6);
				});
		}
	}

	@Test
	void baselineRecordsEarlierMigrationsWithoutRunningThem() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2)) {
			MigrationContexts.jdbc(database)
				.withUserConfiguration(FiveMigrations.class)
				.withPropertyValues("data-migrate.baseline-version=1.9")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					var migrations = context.getBean(DataMigrations.class).status().migrations();
					assertThat(migrations).extracting(MigrationInfo::status)
						.containsExactly(MigrationStatus.BASELINE, MigrationStatus.BASELINE, MigrationStatus.BASELINE,
								MigrationStatus.SUCCEEDED, MigrationStatus.SUCCEEDED);
					assertThat(BodyRuns.counts(context.getBean(JdbcTemplate.class))).containsOnlyKeys("1.10", "2");
				});
		}
	}

	@Test
	void versionsCompareNumericallySegmentBySegment() {
		assertThat(MigrationVersion.parse("1.10")).isGreaterThan(MigrationVersion.parse("1.9"));
		assertThat(MigrationVersion.parse("2026.03.05.1")).isLessThan(MigrationVersion.parse("2026.03.05.2"));
		assertThat(MigrationVersion.parse("20260305091000")).isGreaterThan(MigrationVersion.parse("2026"));
		assertThat(MigrationVersion.parse("1_2")).isEqualTo(MigrationVersion.parse("1.2"));
		assertThat(MigrationVersion.parse("1.0")).isEqualByComparingTo(MigrationVersion.parse("1"));
		assertThat(MigrationVersion.parse("99999999999999999999.1"))
			.isGreaterThan(MigrationVersion.parse("99999999999999999998.2"));
	}

	@Test
	void descriptionIsDerivedFromTheClassName() {
		assertThat(DataMigrationRegistry.describe("BackfillNotifyLogPurpose")).isEqualTo("Backfill notify log purpose");
		assertThat(DataMigrationRegistry.describe("MoveHTTPFlags2Store")).isEqualTo("Move http flags2 store");
	}

	@Configuration(proxyBeanMethods = false)
	@Import(MergedFromABranch.Migration.class)
	static class MergedFromABranch {

		@DataMigration(version = "1.5")
		static class Migration extends RecordingMigration {

			Migration(JdbcTemplate jdbc) {
				super(jdbc);
			}

		}

	}

}
