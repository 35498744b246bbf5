package dev.datamigrate.autoconfigure;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.actuate.endpoint.DataMigrationsEndpoint;
import dev.datamigrate.actuate.endpoint.DataMigrationsEndpointWebExtension;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code datamigrations} Actuator endpoint.
 */
@AutoConfiguration(after = DataMigrateAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnAvailableEndpoint(DataMigrationsEndpoint.class)
@ConditionalOnBean(DataMigrations.class)
public final class DataMigrationsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DataMigrationsEndpoint dataMigrationsEndpoint(DataMigrations migrations, DataMigrateProperties properties) {
		return new DataMigrationsEndpoint(migrations, properties.isRetryFailed());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(DataMigrationsEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	DataMigrationsEndpointWebExtension dataMigrationsEndpointWebExtension(DataMigrationsEndpoint endpoint) {
		return new DataMigrationsEndpointWebExtension(endpoint);
	}

}
