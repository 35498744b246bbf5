package dev.datamigrate.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

/**
 * A small HTTP client for the tests of a running application, as an operator with curl would use it.
 */
public final class Http {

	private final HttpClient client = HttpClient.newHttpClient();

	private final String base;

	private final String authorization;

	/**
	 * A client of the application on a port of localhost.
	 * @param port the port
	 */
	public Http(int port) {
		this(port, null);
	}

	private Http(int port, String authorization) {
		this.base = "http://localhost:" + port;
		this.authorization = authorization;
	}

	/**
	 * The same client, signed in with HTTP basic authentication.
	 * @param user the user
	 * @param password the password
	 * @return the client
	 */
	public Http as(String user, String password) {
		String credentials = java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
		return new Http(Integer.parseInt(this.base.substring(this.base.lastIndexOf(':') + 1)), "Basic " + credentials);
	}

	/**
	 * GET a path.
	 * @param path the path
	 * @return the response
	 */
	public Response get(String path) {
		return send(request(path).GET());
	}

	/**
	 * POST JSON, or nothing, to a path.
	 * @param path the path
	 * @param json the body, or {@code null}
	 * @return the response
	 */
	public Response post(String path, String json) {
		return send(request(path).header("Content-Type", "application/json")
			.POST((json != null) ? BodyPublishers.ofString(json) : BodyPublishers.noBody()));
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path));
		return (this.authorization != null) ? request.header("Authorization", this.authorization) : request;
	}

	private Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.client.send(request.build(), BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A response.
	 *
	 * @param status the HTTP status
	 * @param body the body
	 */
	public record Response(int status, String body) {

		/**
		 * The body as JSON.
		 * @return the document
		 */
		public DocumentContext json() {
			return JsonPath.parse(this.body);
		}

		/**
		 * Read a JSON path of the body.
		 * @param path the JSON path
		 * @param <T> the type read
		 * @return the value
		 */
		public <T> T read(String path) {
			return json().read(path);
		}

	}

}
