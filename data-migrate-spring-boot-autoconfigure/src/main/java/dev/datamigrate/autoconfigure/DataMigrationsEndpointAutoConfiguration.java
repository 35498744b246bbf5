package dev.datamigrate.autoconfigure;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.actuate.endpoint.DataMigrationsEndpoint;
import dev.datamigrate.actuate.endpoint.DataMigrationsEndpointWebExtension;
import dev.datamigrate.actuate.endpoint.EndpointBodyErrors;
import dev.datamigrate.actuate.endpoint.RecentBatches;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code datamigrations} Actuator endpoint.
 */
@AutoConfiguration(after = DataMigrateAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
public final class DataMigrationsEndpointAutoConfiguration {

	/**
	 * Nested, so that without Actuator the outer class check keeps its condition from being read.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(DataMigrationsEndpoint.class)
	@ConditionalOnBean(DataMigrations.class)
	static class EndpointConfiguration {

		/**
		 * A listener of the runner, so the runner's bean takes it up with the others.
		 */
		@Bean
		@ConditionalOnMissingBean
		RecentBatches dataMigrationRecentBatches() {
			return new RecentBatches();
		}

		@Bean
		@ConditionalOnMissingBean
		DataMigrationsEndpoint dataMigrationsEndpoint(DataMigrations migrations, DataMigrateProperties properties,
				RecentBatches recentBatches) {
			return new DataMigrationsEndpoint(migrations, properties.isRetryFailed(), recentBatches);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(DataMigrationsEndpoint.class)
		@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
		DataMigrationsEndpointWebExtension dataMigrationsEndpointWebExtension(DataMigrationsEndpoint endpoint) {
			return new DataMigrationsEndpointWebExtension(endpoint);
		}

		/**
		 * Nested, so that its Spring MVC types are read only in a servlet web application.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = Type.SERVLET)
		@ConditionalOnClass(name = "org.springframework.web.servlet.HandlerExceptionResolver")
		@ConditionalOnAvailableEndpoint(endpoint = DataMigrationsEndpoint.class, exposure = EndpointExposure.WEB)
		static class MvcConfiguration {

			@Bean
			@ConditionalOnMissingBean
			EndpointBodyErrors dataMigrationsEndpointBodyErrors(WebEndpointProperties webEndpoints) {
				return new EndpointBodyErrors(webEndpoints.getBasePath() + "/datamigrations");
			}

		}

	}

}
