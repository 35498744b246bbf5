package dev.datamigrate.autoconfigure;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.actuate.endpoint.DataMigrationsEndpoint;
import dev.datamigrate.actuate.endpoint.DataMigrationsEndpointWebExtension;
import dev.datamigrate.actuate.endpoint.EndpointBodyErrors;
import dev.datamigrate.actuate.health.DataMigrationsHealthIndicator;
import dev.datamigrate.actuate.metrics.DataMigrationMetrics;
import dev.datamigrate.fixtures.FiveMigrations;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint, health and metrics auto-configurations each back off on their own.
 */
class ActuatorAutoConfigurationTests {

	private TestDatabase database;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void createDatabase() {
		this.database = TestDatabase.create(TestDatabase.Kind.H2);
		this.contextRunner = MigrationContexts.jdbc(this.database)
			.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
					WebEndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
					MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class,
					DataMigrationsEndpointAutoConfiguration.class, DataMigrationsHealthContributorAutoConfiguration.class,
					DataMigrationsMetricsAutoConfiguration.class))
			.withUserConfiguration(FiveMigrations.class)
			.withPropertyValues("management.endpoints.web.exposure.include=datamigrations");
	}

	@AfterEach
	void dropDatabase() {
		this.database.close();
	}

	@Test
	void withActuatorEveryPartIsThere() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(DataMigrationsEndpoint.class)
			.hasSingleBean(DataMigrationsEndpointWebExtension.class)
			.hasSingleBean(DataMigrationsHealthIndicator.class)
			.hasSingleBean(DataMigrationMetrics.class));
	}

	@Test
	void theAnswerToAMalformedBodyIsThereInAServletWebApplicationOnly() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(EndpointBodyErrors.class));
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, DataMigrateAutoConfiguration.class,
					EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
					DataMigrationsEndpointAutoConfiguration.class))
			.withPropertyValues(this.database.properties().toArray(String[]::new))
			.withPropertyValues("management.endpoints.web.exposure.include=datamigrations")
			.run((context) -> assertThat(context).hasSingleBean(EndpointBodyErrors.class));
	}

	@Test
	void withoutActuatorOnTheClasspathThereIsNoEndpoint() {
		MigrationContexts.jdbc(this.database)
			.withConfiguration(AutoConfigurations.of(DataMigrationsEndpointAutoConfiguration.class,
					DataMigrationsHealthContributorAutoConfiguration.class, DataMigrationsMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
					"org.springframework.boot.health", "io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(DataMigrations.class)
				.doesNotHaveBean(DataMigrationsEndpoint.class)
				.doesNotHaveBean(DataMigrationsHealthIndicator.class)
				.doesNotHaveBean(DataMigrationMetrics.class));
	}

	@Test
	void endpointNotExposedHasNoBean() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(DataMigrationsEndpoint.class));
	}

	@Test
	void endpointSwitchedOffHasNoBean() {
		this.contextRunner.withPropertyValues("management.endpoint.datamigrations.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(DataMigrationsEndpoint.class));
	}

	@Test
	void healthSwitchedOffByPropertyHasNoContributor() {
		this.contextRunner.withPropertyValues("management.health.datamigrations.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DataMigrationsHealthIndicator.class));
	}

	@Test
	void withoutMeterRegistryThereAreNoMeters() {
		MigrationContexts.jdbc(this.database)
			.withConfiguration(AutoConfigurations.of(DataMigrationsMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DataMigrationMetrics.class));
	}

	@Test
	void metersAreRegisteredAndCountTheRuns() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("data.migrations.pending").gauge().value()).isZero();
			assertThat(registry.get("data.migrations.failed").gauge().value()).isZero();
			assertThat(registry.get("data.migration").tag("version", "1.10").tag("outcome", "succeeded").timer().count())
				.isOne();
		});
	}

	@Test
	void usersOwnBeansReplaceOurs() {
		this.contextRunner.withUserConfiguration(OwnBeans.class).run((context) -> {
			assertThat(context.getBean(DataMigrationsEndpoint.class)).isSameAs(context.getBean(OwnBeans.class).endpoint);
			assertThat(context).getBean("dataMigrationsHealthIndicator").isSameAs(context.getBean(OwnBeans.class).health);
			assertThat(context.getBean(DataMigrationMetrics.class)).isSameAs(context.getBean(OwnBeans.class).metrics);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		final DataMigrationsEndpoint endpoint = new DataMigrationsEndpoint(null, false);

		final DataMigrationsHealthIndicator health = new DataMigrationsHealthIndicator(null);

		final DataMigrationMetrics metrics = new DataMigrationMetrics(new SimpleMeterRegistry(), null, true);

		@Bean
		DataMigrationsEndpoint myEndpoint() {
			return this.endpoint;
		}

		@Bean
		DataMigrationsHealthIndicator dataMigrationsHealthIndicator() {
			return this.health;
		}

		@Bean
		DataMigrationMetrics myMetrics() {
			return this.metrics;
		}

	}

}
