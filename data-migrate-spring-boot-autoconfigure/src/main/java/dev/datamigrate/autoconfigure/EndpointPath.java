package dev.datamigrate.autoconfigure;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Where the {@code datamigrations} endpoint answers over HTTP, for the messages that send operators to
 * it: under the application's own management base path (JHipster's is {@code /management}), and only
 * when Actuator is there and the endpoint is exposed over the web.
 */
final class EndpointPath {

	private static final String ENDPOINT = "datamigrations";

	private EndpointPath() {
	}

	/**
	 * The endpoint's path, such as {@code /actuator/datamigrations}.
	 * @param environment the application's environment
	 * @return the path, or {@code null} when the endpoint is not exposed over HTTP
	 */
	static @Nullable String of(Environment environment) {
		if (!ClassUtils.isPresent("org.springframework.boot.actuate.endpoint.annotation.Endpoint",
				EndpointPath.class.getClassLoader())) {
			return null;
		}
		Binder binder = Binder.get(environment);
		Set<String> include = binder.bind("management.endpoints.web.exposure.include", Bindable.setOf(String.class))
			.orElse(Set.of());
		Set<String> exclude = binder.bind("management.endpoints.web.exposure.exclude", Bindable.setOf(String.class))
			.orElse(Set.of());
		boolean exposed = (include.contains("*") || include.contains(ENDPOINT)) && !exclude.contains(ENDPOINT)
				&& !exclude.contains("*");
		if (!exposed) {
			return null;
		}
		String basePath = binder.bind("management.endpoints.web.base-path", String.class).orElse("/actuator");
		String contextPath = environment.containsProperty("management.server.port") ? ""
				: binder.bind("server.servlet.context-path", String.class).orElse("");
		return (contextPath + basePath).replaceAll("/+$", "") + "/" + ENDPOINT;
	}

}
