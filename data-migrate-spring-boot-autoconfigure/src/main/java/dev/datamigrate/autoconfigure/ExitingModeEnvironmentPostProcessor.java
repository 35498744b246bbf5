package dev.datamigrate.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts no web server in {@code run-and-exit} and {@code plan} modes unless the application asks for
 * one with {@code spring.main.web-application-type}, so the same jar runs as a Kubernetes Job or a
 * pipeline step without binding a port.
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
		if (enabled && exits && !environment.containsProperty("spring.main.web-application-type")) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("spring.main.web-application-type", "none")));
		}
	}

}
