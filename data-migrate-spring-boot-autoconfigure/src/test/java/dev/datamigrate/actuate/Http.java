package dev.datamigrate.actuate;

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
final class Http {

	private final HttpClient client = HttpClient.newHttpClient();

	private final String base;

	private final String authorization;

	Http(int port) {
		this(port, null);
	}

	private Http(int port, String authorization) {
		this.base = "http://localhost:" + port;
		this.authorization = authorization;
	}

	Http as(String user, String password) {
		String credentials = java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
		return new Http(Integer.parseInt(this.base.substring(this.base.lastIndexOf(':') + 1)), "Basic " + credentials);
	}

	Response get(String path) {
		return send(request(path).GET());
	}

	Response post(String path, String json) {
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

	record Response(int status, String body) {

		DocumentContext json() {
			return JsonPath.parse(this.body);
		}

		<T> T read(String path) {
			return json().read(path);
		}

	}

}
