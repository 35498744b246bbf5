package dev.datamigrate.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts no web server in {@code run-and-exit} and {@code plan} modes unless the application asks for
 * one with {@code spring.main.web-application-type}, so the same jar runs as a Kubernetes Job or a
 * pipeline step without binding a port. In {@code plan} mode Flyway does not migrate either, unless
 * {@code spring.flyway.enabled} says so: a plan changes nothing (Liquibase is held back by
 * {@link dev.datamigrate.liquibase.PostDeployChangesets}).
 */
class ExitingModeEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY_SOURCE_NAME = "dataMigrateExitingMode";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		boolean enabled = binder.bind("data-migrate.enabled", Boolean.class).orElse(true);
		DataMigrateProperties.OnStartup mode = binder
			.bind("data-migrate.on-startup", DataMigrateProperties.OnStartup.class)
			.orElse(DataMigrateProperties.OnStartup.RUN);
		boolean exits = mode == DataMigrateProperties.OnStartup.RUN_AND_EXIT
				|| mode == DataMigrateProperties.OnStartup.PLAN;
		if (!enabled || !exits) {
			return;
		}
		Map<String, Object> defaults = new HashMap<>();
		defaults.put("spring.main.web-application-type", "none");
		if (mode == DataMigrateProperties.OnStartup.PLAN) {
			defaults.put("spring.flyway.enabled", "false");
		}
		defaults.keySet().removeIf(environment::containsProperty);
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
	}

}
