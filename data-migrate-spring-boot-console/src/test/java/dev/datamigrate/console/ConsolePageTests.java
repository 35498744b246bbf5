package dev.datamigrate.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page as a real server serves it: where it tells its script the endpoint answers, whether it
 * offers actions, and what it says when it cannot reach the endpoint.
 */
class ConsolePageTests {

	private static final String NO_SECURITY = "--spring.autoconfigure.exclude="
			+ "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration";

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void callsTheEndpointUnderTheContextPathAndTheManagementBasePath() {
		try (ConfigurableApplicationContext application = start(NO_SECURITY, "--server.servlet.context-path=/app",
				"--management.endpoints.web.base-path=/management", "--data-migrate.console.path=/ops/migrations")) {
			int port = port(application);
			HttpResponse<String> page = get(port, "/app/ops/migrations", null);
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("text/html"));
			assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(ConsoleRoutes.CONTENT_SECURITY_POLICY);
			assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
			assertThat(attribute(page, "data-endpoint")).isEqualTo("/app/management/datamigrations");
			assertThat(attribute(page, "data-console")).isEqualTo("/app/ops/migrations");
			assertThat(attribute(page, "data-writable")).as("the endpoint is read-only").isEqualTo("false");
			assertThat(attribute(page, "data-problem")).isEmpty();
			assertThat(page.body()).contains("src=\"/app/ops/migrations/assets/console.js\"")
				.contains("href=\"/app/ops/migrations/assets/console.css\"");

			assertThat(get(port, "/app/management/datamigrations", null).statusCode()).as("where the page calls").isEqualTo(200);
			assertThat(get(port, "/app/ops/migrations/2026.03.05.1", null).body()).as("a migration's page")
				.isEqualTo(page.body());
			HttpResponse<String> script = get(port, "/app/ops/migrations/assets/console.js", null);
			assertThat(script.statusCode()).isEqualTo(200);
			assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).contains("javascript"));
			assertThat(script.body()).contains("function versionInPath()");
			assertThat(get(port, "/app/ops/migrations/assets/console.css", null).statusCode()).isEqualTo(200);
			assertThat(get(port, "/app/ops/migrations/assets/index.html", null).statusCode()).isEqualTo(404);
			assertThat(get(port, "/app/datamigrations", null).statusCode()).as("moved").isEqualTo(404);
		}
	}

	@Test
	void offersActionsWhenTheEndpointTakesWrites() {
		try (ConfigurableApplicationContext application = start(NO_SECURITY,
				"--management.endpoint.datamigrations.access=unrestricted")) {
			HttpResponse<String> page = get(port(application), "/datamigrations", null);
			assertThat(attribute(page, "data-endpoint")).isEqualTo("/actuator/datamigrations");
			assertThat(attribute(page, "data-writable")).isEqualTo("true");
			assertThat(attribute(page, "data-csrf-header")).as("no Spring Security here").isEmpty();
		}
	}

	@Test
	void namesThePropertyWhenTheEndpointIsNotServedOverHttpAndCanBeSwitchedOff() {
		try (ConfigurableApplicationContext application = start(NO_SECURITY,
				"--management.endpoints.web.exposure.include=health")) {
			HttpResponse<String> page = get(port(application), "/datamigrations", null);
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(attribute(page, "data-endpoint")).isEmpty();
			assertThat(attribute(page, "data-problem"))
				.contains("add datamigrations to management.endpoints.web.exposure.include");
		}
		try (ConfigurableApplicationContext application = start(NO_SECURITY, "--data-migrate.console.enabled=false")) {
			assertThat(get(port(application), "/datamigrations", null).statusCode()).isEqualTo(404);
		}
	}

	@Test
	void underSpringSecurityOffersActionsToUsersWhoMayPostAndHandsOverTheCsrfToken() {
		try (ConfigurableApplicationContext application = start("--spring.profiles.active=secured",
				"--management.endpoint.datamigrations.access=unrestricted")) {
			int port = port(application);
			assertThat(get(port, "/datamigrations", null).statusCode()).isEqualTo(401);

			HttpResponse<String> viewer = get(port, "/datamigrations", "viewer:viewer");
			assertThat(viewer.statusCode()).isEqualTo(200);
			assertThat(attribute(viewer, "data-writable")).isEqualTo("false");
			assertThat(post(port, "/actuator/datamigrations", "viewer:viewer").statusCode())
				.as("what the security chain answers the viewer")
				.isEqualTo(403);

			HttpResponse<String> ops = get(port, "/datamigrations", "ops:ops");
			assertThat(attribute(ops, "data-writable")).isEqualTo("true");
			assertThat(post(port, "/actuator/datamigrations", "ops:ops").statusCode()).isEqualTo(200);
			assertThat(attribute(ops, "data-csrf-header")).isEqualTo("X-CSRF-TOKEN");
			assertThat(attribute(ops, "data-csrf-token")).isNotBlank();
		}
	}

	@Test
	void theCsrfTokenItHandsOverIsTheOneTheEndpointWantsWhenCsrfProtectionCoversIt() {
		try (ConfigurableApplicationContext application = start("--spring.profiles.active=csrf",
				"--management.endpoint.datamigrations.access=unrestricted")) {
			int port = port(application);
			HttpResponse<String> page = get(port, "/datamigrations", "ops:ops");
			String session = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
			assertThat(send(request(port, "/actuator/datamigrations", "ops:ops").header("Cookie", session)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.noBody())).statusCode()).as("without the token")
				// 403, or 401 when the error page it forwards to wants a user whom the CSRF check came before
				.isIn(401, 403);
			assertThat(send(request(port, "/actuator/datamigrations", "ops:ops").header("Cookie", session)
				.header(attribute(page, "data-csrf-header"), attribute(page, "data-csrf-token"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.noBody())).statusCode()).as("with the page's token").isEqualTo(200);
		}
	}

	private static ConfigurableApplicationContext start(String... arguments) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off"));
		all.addAll(List.of(arguments));
		if (all.stream().noneMatch((argument) -> argument.startsWith("--management.endpoints.web.exposure.include="))) {
			all.add("--management.endpoints.web.exposure.include=datamigrations");
		}
		return SpringApplication.run(ConsoleApplication.class, all.toArray(String[]::new));
	}

	private static int port(ConfigurableApplicationContext application) {
		return ((WebServerApplicationContext) application).getWebServer().getPort();
	}

	private static String attribute(HttpResponse<String> page, String name) {
		Matcher matcher = Pattern.compile(name + "=\"([^\"]*)\"").matcher(page.body());
		assertThat(matcher.find()).as(name).isTrue();
		return matcher.group(1);
	}

	private HttpResponse<String> get(int port, String path, String credentials) {
		return send(request(port, path, credentials).GET());
	}

	private HttpResponse<String> post(int port, String path, String credentials) {
		return send(request(port, path, credentials).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.noBody()));
	}

	private static HttpRequest.Builder request(int port, String path, String credentials) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
		return (credentials != null) ? request.header("Authorization",
				"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))) : request;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.client.send(request.build(), BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
