package dev.datamigrate.autoconfigure;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.actuate.health.DataMigrationsHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code dataMigrations} health contributor, switched off with
 * {@code management.health.datamigrations.enabled=false}.
 */
@AutoConfiguration(after = DataMigrateAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator")
public final class DataMigrationsHealthContributorAutoConfiguration {

	/**
	 * Nested, so that without the health module the outer class check keeps its condition from being
	 * read.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DataMigrations.class)
	@ConditionalOnEnabledHealthIndicator("datamigrations")
	static class HealthIndicatorConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "dataMigrationsHealthIndicator")
		DataMigrationsHealthIndicator dataMigrationsHealthIndicator(DataMigrations migrations) {
			return new DataMigrationsHealthIndicator(migrations);
		}

	}

}
