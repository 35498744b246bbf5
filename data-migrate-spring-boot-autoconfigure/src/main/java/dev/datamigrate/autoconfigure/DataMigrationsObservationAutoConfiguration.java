package dev.datamigrate.autoconfigure;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.history.MigrationHistory;
import dev.datamigrate.observation.DataMigrationObservationConvention;
import dev.datamigrate.observation.DataMigrationObservations;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of an observation per data migration run, when the application has an
 * {@link ObservationRegistry} (Actuator configures one): Micrometer's handlers make the timer and
 * long-task timer of it, and tracing a span.
 */
@AutoConfiguration(after = DataMigrateAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, DataMigrations.class })
public final class DataMigrationsObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DataMigrationObservations dataMigrationObservations(ObservationRegistry registry,
			ObjectProvider<DataMigrationObservationConvention> convention, MigrationHistory history) {
		return new DataMigrationObservations(registry, convention.getIfAvailable(), history);
	}

}
