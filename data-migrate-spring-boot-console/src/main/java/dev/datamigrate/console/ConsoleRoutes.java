package dev.datamigrate.console;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The console's routes: the page at the console's path and at the path of each migration
 * ({@code /datamigrations/{version}}: the page's script tells them apart), and its script and style sheet.
 * The page is told where the endpoint answers and whether to offer actions.
 */
final class ConsoleRoutes {

	/**
	 * The page loads its own script, style and data from this application and nothing else.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

	private final String path;

	private final ConsoleEndpoint endpoint;

	private final ConsoleSecurity security;

	private final ConsolePage page = new ConsolePage();

	ConsoleRoutes(String path, ConsoleEndpoint endpoint, ConsoleSecurity security) {
		this.path = path;
		this.endpoint = endpoint;
		this.security = security;
	}

	RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.add(RouterFunctions.resources(this.path + "/assets/**",
					new ClassPathResource(ConsolePage.LOCATION + "assets/"),
					(resource, headers) -> headers.setCacheControl(CacheControl.noCache())))
			.GET(this.path, this::page)
			.GET(this.path + "/", this::page)
			.GET(this.path + "/{version}", this::page)
			.build();
	}

	private ServerResponse page(ServerRequest request) {
		HttpServletRequest servlet = request.servletRequest();
		String contextPath = servlet.getContextPath();
		ConsoleEndpoint.Target target = this.endpoint.target();
		Map<String, @Nullable String> values = new HashMap<>();
		values.put("console", contextPath + this.path);
		values.put("problem", target.problem());
		if (target.path() != null) {
			values.put("endpoint", contextPath + target.path());
			values.put("writable",
					String.valueOf(target.writes() && this.security.mayPost(servlet, target.path())));
			ConsoleSecurity.Csrf csrf = this.security.csrf(servlet);
			if (csrf != null) {
				values.put("csrfHeader", csrf.headerName());
				values.put("csrfToken", csrf.token());
			}
		}
		return ServerResponse.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			// it may hold a CSRF token, and what it offers depends on who asks
			.cacheControl(CacheControl.noStore())
			.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header("Referrer-Policy", "same-origin")
			.body(this.page.render(values));
	}

}
