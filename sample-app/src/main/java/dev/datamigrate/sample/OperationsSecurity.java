package dev.datamigrate.sample;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what on the Actuator endpoints, with HTTP basic authentication so that curl, scripts and
 * Prometheus can call them:
 * <ul>
 * <li>{@code health}: anyone, status only (load balancers, Kubernetes probes); details for viewers
 * ({@code management.endpoint.health.roles});</li>
 * <li>{@code GET datamigrations}: signed-in users with role {@code VIEWER};</li>
 * <li>{@code POST datamigrations} (run, pause, resume, retry, skip): role {@code OPS};</li>
 * <li>{@code prometheus}: role {@code OPS} or {@code METRICS} (the scraper's own user);</li>
 * <li>anything else: a signed-in user.</li>
 * </ul>
 * Only in a web application, where Spring Security has an {@link HttpSecurity} to build filter chains
 * with ({@code run-and-exit} and {@code plan} keep the web application, without opening its port).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = Type.SERVLET)
class OperationsSecurity {

	static final String OPS = "OPS";

	static final String VIEWER = "VIEWER";

	static final String METRICS = "METRICS";

	@Bean
	@Order(1)
	SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
		http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to("health"))
				.permitAll()
				.requestMatchers(EndpointRequest.to("datamigrations").withHttpMethod(HttpMethod.GET))
				.hasRole(VIEWER)
				.requestMatchers(EndpointRequest.to("datamigrations"))
				.hasRole(OPS)
				.requestMatchers(EndpointRequest.to("prometheus"))
				.hasAnyRole(OPS, METRICS)
				.anyRequest()
				.authenticated())
			.httpBasic(Customizer.withDefaults())
			// credentials come with every request: no session, so no session cookie
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			// CSRF protection is off for the Actuator paths only. It protects browser sessions, whose
			// cookie the browser adds to a request that another site forges; the callers here are curl,
			// scripts and Prometheus, which send their credentials in an Authorization header on every
			// request, hold no session and have no CSRF token to send. The write operations also take
			// only a JSON content type (415 otherwise), which a cross-site form cannot send, nor a
			// cross-site script without a CORS preflight that this application does not allow. Keep the
			// Actuator off the public internet all the same (management.server.port on an internal network).
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	/**
	 * The rest of the application: signed-in users only, CSRF protection as Spring Security sets it.
	 */
	@Bean
	@Order(2)
	SecurityFilterChain applicationSecurity(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.httpBasic(Customizer.withDefaults());
		return http.build();
	}

	/**
	 * SAMPLE-ONLY users, with their passwords written here in clear text. {@code {noop}} tells Spring
	 * Security's default delegating password encoder that the password is not hashed; a real service
	 * takes its users from its identity provider (OAuth2, LDAP), or at least stores {@code {bcrypt}}
	 * hashes read from a secret, never passwords in source.
	 */
	@Bean
	UserDetailsService sampleUsers() {
		return new InMemoryUserDetailsManager(
				// reads the endpoint and health details
				User.withUsername("viewer").password("{noop}viewer").roles(VIEWER).build(),
				// reads, and runs, pauses, resumes, retries and skips migrations; reads metrics
				User.withUsername("ops").password("{noop}ops").roles(VIEWER, OPS).build(),
				// Prometheus's scrape job (basic_auth in its scrape_config): metrics only
				User.withUsername("prometheus").password("{noop}prometheus").roles(METRICS).build());
	}

}
