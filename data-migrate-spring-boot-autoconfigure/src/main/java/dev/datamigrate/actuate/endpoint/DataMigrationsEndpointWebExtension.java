package dev.datamigrate.actuate.endpoint;

import java.util.Map;
import java.util.NoSuchElementException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * HTTP status codes for the endpoint's write operations: 202 when a run starts, 409 when the queue is
 * halted or already running, and for an action 400 (unknown action), 404 (unknown version) or 409
 * (not allowed in the migration's state).
 */
@EndpointWebExtension(endpoint = DataMigrationsEndpoint.class)
public class DataMigrationsEndpointWebExtension {

	private static final int STATUS_ACCEPTED = 202;

	private static final int STATUS_CONFLICT = 409;

	private final DataMigrationsEndpoint endpoint;

	/**
	 * Create the extension.
	 * @param endpoint the endpoint
	 */
	public DataMigrationsEndpointWebExtension(DataMigrationsEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	@WriteOperation
	public WebEndpointResponse<RunDescriptor> run(SecurityContext securityContext) {
		RunDescriptor run = this.endpoint.run(securityContext);
		int status = run.started() ? STATUS_ACCEPTED
				: run.pending().isEmpty() ? WebEndpointResponse.STATUS_OK : STATUS_CONFLICT;
		return new WebEndpointResponse<>(run, status);
	}

	@WriteOperation
	public WebEndpointResponse<Object> act(@Selector String version, @Nullable String action,
			SecurityContext securityContext) {
		try {
			return new WebEndpointResponse<>(this.endpoint.act(version, action, securityContext));
		}
		catch (InvalidEndpointRequestException ex) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage());
		}
		catch (NoSuchElementException ex) {
			return error(WebEndpointResponse.STATUS_NOT_FOUND, ex.getMessage());
		}
		catch (IllegalStateException ex) {
			return error(STATUS_CONFLICT, ex.getMessage());
		}
	}

	private static WebEndpointResponse<Object> error(int status, String message) {
		return new WebEndpointResponse<>(Map.of("error", message), status);
	}

}
