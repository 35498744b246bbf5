package dev.datamigrate.console;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * What the application's security says about the viewer of the page: whether a request to change
 * migrations would be allowed, and the CSRF token to send with it.
 */
interface ConsoleSecurity {

	/**
	 * Without a security framework the endpoint's own access decides.
	 */
	ConsoleSecurity NONE = new ConsoleSecurity() {

		@Override
		public boolean mayPost(HttpServletRequest request, String path) {
			return true;
		}

		@Override
		public @Nullable Csrf csrf(HttpServletRequest request) {
			return null;
		}

	};

	/**
	 * Whether the viewer of this request may POST to a path.
	 * @param request the request for the page
	 * @param path the path under the context path
	 * @return {@code false} when the application's security would refuse it
	 */
	boolean mayPost(HttpServletRequest request, String path);

	/**
	 * The CSRF token of this request's session, if the application has one.
	 * @param request the request for the page
	 * @return the token, or {@code null}
	 */
	@Nullable Csrf csrf(HttpServletRequest request);

	/**
	 * A CSRF token and the header that carries it.
	 *
	 * @param headerName the header
	 * @param token the token
	 */
	record Csrf(String headerName, String token) {
	}

}
