package dev.datamigrate.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deploy report of the README: {@code data-migrate.on-startup=plan} lists the pending schema changes,
 * data migrations and post-deploy changesets, the last with the migration its finish gate waits for.
 */
@ExtendWith(OutputCaptureExtension.class)
class SamplePlanTests {

	@Test
	void planListsTheMigrationsAndThePostDeployChangeset(CapturedOutput output) {
		// a context runner starts no web server and publishes no ApplicationReadyEvent, so the plan
		// prints without exiting the JVM
		new ApplicationContextRunner().withBean(TypeExcludeFilter.class, LeaveOutTestConfiguration::new)
			.withUserConfiguration(SampleApplication.class)
			// a context runner reads no application.properties
			.withPropertyValues("data-migrate.on-startup=plan", "spring.datasource.generate-unique-name=true",
					"sample.flags.redis-prefix=plan-only:")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OperationsSecurity.class));
		assertThat(output.toString()).contains("Schema changes, applied first: 5 pending")
			.contains("Data migration plan: 3 pending")
			.containsPattern("2026\\.03\\.05\\.1\\s+PENDING\\s+Backfill purpose on notify_log_entries")
			.containsPattern("2026\\.03\\.12\\.1\\s+PENDING\\s+Move feature flags from legacy_settings to feature_flags")
			.containsPattern("2026\\.03\\.19\\.1\\s+PENDING\\s+Move feature flags from feature_flags to Redis")
			.contains("Post-deploy changes, applied after the data migrations: 1 pending")
			.contains(MigratedData.NOT_NULL + "  Make purpose NOT NULL once BackfillNotifyLogPurpose has filled it  "
					+ "[waits for data migration 2026.03.05.1, PENDING]");
	}

	/**
	 * Keeps the sample's component scan off the Testcontainers configuration beside the tests, as
	 * {@code @SpringBootTest} does.
	 */
	static class LeaveOutTestConfiguration extends TypeExcludeFilter {

		@Override
		public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
			return reader.getClassMetadata().getClassName().equals(ContainersConfiguration.class.getName());
		}

	}

}
