package dev.datamigrate.autoconfigure;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.actuate.metrics.DataMigrationMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * Auto-configuration of the data migration meters, when Micrometer has a {@link MeterRegistry}.
 */
@AutoConfiguration(after = DataMigrateAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, DataMigrations.class })
public final class DataMigrationsMetricsAutoConfiguration {

	/**
	 * The metrics listen to the runner that the {@link DataMigrations} bean owns and read that bean for
	 * their gauges, so they take it lazily. They time the runs themselves only when no observation does.
	 */
	@Bean
	@ConditionalOnMissingBean
	DataMigrationMetrics dataMigrationMetrics(MeterRegistry registry, @Lazy DataMigrations migrations,
			ObjectProvider<ObservationRegistry> observations) {
		// micrometer-core brings micrometer-observation, so the type is there; a registry bean may not be
		return new DataMigrationMetrics(registry, migrations, observations.getIfAvailable() == null);
	}

}
