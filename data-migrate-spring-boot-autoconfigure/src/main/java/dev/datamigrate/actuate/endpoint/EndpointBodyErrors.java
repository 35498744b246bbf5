package dev.datamigrate.actuate.endpoint;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.util.UrlPathHelper;

/**
 * Answers a body that is not JSON, sent to the {@code datamigrations} endpoint over Spring MVC, with
 * a 400 whose {@code error} names the body the endpoint expects, where Actuator would answer a bare
 * "Bad Request".
 */
public final class EndpointBodyErrors implements HandlerExceptionResolver, Ordered {

	static final String EXPECTED = "send a JSON body {\"action\": \"pause\"}, with pause, resume, retry or skip";

	private static final UrlPathHelper PATHS = new UrlPathHelper();

	private final String endpointPath;

	/**
	 * Create the resolver for the endpoint's path.
	 * @param endpointPath the endpoint's path within the application, such as
	 * {@code /actuator/datamigrations}
	 */
	public EndpointBodyErrors(String endpointPath) {
		this.endpointPath = endpointPath;
	}

	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		if (!(ex instanceof HttpMessageNotReadableException)
				|| !PATHS.getPathWithinApplication(request).startsWith(this.endpointPath + "/")) {
			return null;
		}
		try {
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.getWriter().write("{\"error\":\"Malformed JSON: " + EXPECTED.replace("\"", "\\\"") + "\"}");
			return new ModelAndView();
		}
		catch (IOException writeFailed) {
			return null;
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
