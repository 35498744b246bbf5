package dev.datamigrate.console;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * Asks Spring Security's filter chains, as they would answer the request itself, whether the signed-in
 * user may POST to the endpoint, and hands the page the session's CSRF token.
 */
final class SpringSecurityConsoleSecurity implements ConsoleSecurity {

	private static final Log logger = LogFactory.getLog(SpringSecurityConsoleSecurity.class);

	private final ObjectProvider<WebInvocationPrivilegeEvaluator> evaluator;

	SpringSecurityConsoleSecurity(ObjectProvider<WebInvocationPrivilegeEvaluator> evaluator) {
		this.evaluator = evaluator;
	}

	@Override
	public boolean mayPost(HttpServletRequest request, String path) {
		WebInvocationPrivilegeEvaluator evaluator = this.evaluator.getIfUnique();
		if (evaluator == null) {
			return true;
		}
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		try {
			return evaluator.isAllowed(request.getContextPath(), path, "POST", authentication);
		}
		catch (RuntimeException ex) {
			// a request matcher that cannot judge a request made up outside the filter chain: show the
			// buttons and let the endpoint's answer (403) speak
			logger.debug("Could not tell whether the viewer may change data migrations", ex);
			return true;
		}
	}

	@Override
	public @Nullable Csrf csrf(HttpServletRequest request) {
		return (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token)
				? new Csrf(token.getHeaderName(), token.getToken()) : null;
	}

}
