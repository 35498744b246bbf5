package dev.datamigrate.autoconfigure;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.actuate.metrics.DataMigrationMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * Auto-configuration of the data migration meters, when Micrometer has a {@link MeterRegistry}.
 */
@AutoConfiguration(after = DataMigrateAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, DataMigrations.class })
public final class DataMigrationsMetricsAutoConfiguration {

	/**
	 * The metrics listen to the runner that the {@link DataMigrations} bean owns and read that bean for
	 * their gauges, so they take it lazily.
	 */
	@Bean
	@ConditionalOnMissingBean
	DataMigrationMetrics dataMigrationMetrics(MeterRegistry registry, @Lazy DataMigrations migrations) {
		return new DataMigrationMetrics(registry, migrations);
	}

}
