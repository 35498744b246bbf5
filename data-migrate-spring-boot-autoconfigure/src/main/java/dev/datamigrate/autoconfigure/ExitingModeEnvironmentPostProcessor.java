package dev.datamigrate.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Opens no HTTP port in {@code run-and-exit} and {@code plan} modes, so the same jar runs as a Kubernetes
 * Job or a pipeline step: the application starts with the context it has, web or not (so beans that
 * need the web stack, such as a security configuration, still find it), with {@code server.port} and
 * {@code management.server.port} at -1, whatever else sets them.
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
		if (enabled && (mode == DataMigrateProperties.OnStartup.RUN_AND_EXIT
				|| mode == DataMigrateProperties.OnStartup.PLAN)) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME,
						Map.of("server.port", "-1", "management.server.port", "-1")));
		}
	}

}
