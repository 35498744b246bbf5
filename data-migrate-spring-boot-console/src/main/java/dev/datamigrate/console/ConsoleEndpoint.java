package dev.datamigrate.console;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.core.env.Environment;

/**
 * The {@code datamigrations} endpoint as this application serves it over HTTP, for the page that
 * calls it: its path under the management base path, and whether its write operations are there.
 */
final class ConsoleEndpoint {

	static final EndpointId ID = EndpointId.of("datamigrations");

	private final ObjectProvider<PathMappedEndpoints> endpoints;

	private final Environment environment;

	ConsoleEndpoint(ObjectProvider<PathMappedEndpoints> endpoints, Environment environment) {
		this.endpoints = endpoints;
		this.environment = environment;
	}

	/**
	 * Where the page finds the endpoint, or why it cannot.
	 * @return the endpoint's path under the context path, such as {@code /actuator/datamigrations}, and
	 * whether it takes writes; or the problem, naming the property that solves it
	 */
	Target target() {
		if (ManagementPortType.get(this.environment) == ManagementPortType.DIFFERENT) {
			return Target.problem("The datamigrations endpoint answers on the management port "
					+ "(management.server.port), which this page cannot call: serve the Actuator on the "
					+ "application's port, or call the endpoint there with curl.");
		}
		PathMappedEndpoints mapped = this.endpoints.getIfAvailable();
		PathMappedEndpoint endpoint = (mapped != null) ? mapped.getEndpoint(ID) : null;
		if (endpoint == null) {
			return Target.problem("The datamigrations endpoint is not served over HTTP: add datamigrations to "
					+ "management.endpoints.web.exposure.include, with the data-migrate starter and Spring Boot's "
					+ "Actuator on the class path.");
		}
		// what the web layer kept after management.endpoint.datamigrations.access and
		// management.endpoints.access.max-permitted: the operations a request can reach
		boolean writes = endpoint instanceof ExposableWebEndpoint web
				&& web.getOperations().stream().anyMatch((operation) -> operation.getType() == OperationType.WRITE);
		return new Target(mapped.getPath(ID), writes, null);
	}

	/**
	 * Where the page finds the endpoint.
	 *
	 * @param path the path under the context path, or {@code null} with a problem
	 * @param writes whether the endpoint takes write operations
	 * @param problem why the page cannot call the endpoint, or {@code null}
	 */
	record Target(@Nullable String path, boolean writes, @Nullable String problem) {

		static Target problem(String problem) {
			return new Target(null, false, problem);
		}

	}

}
