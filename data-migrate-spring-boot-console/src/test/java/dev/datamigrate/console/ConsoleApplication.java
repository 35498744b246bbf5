package dev.datamigrate.console;

import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A web application with the console and an endpoint {@code datamigrations} that stands in for the
 * starter's (read-only by default, like it). Profile {@code secured}: Spring Security as in the sample,
 * with a {@code viewer} who may read and an {@code ops} user who may also write; profile {@code csrf}: one
 * filter chain for everything, CSRF protection on for the endpoint too; without them, no security.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ ConsoleApplication.DataMigrationsEndpoint.class, ConsoleApplication.Secured.class,
		ConsoleApplication.SecuredWithCsrf.class })
class ConsoleApplication {

	@Endpoint(id = "datamigrations", defaultAccess = Access.READ_ONLY)
	static class DataMigrationsEndpoint {

		@ReadOperation
		Map<String, Object> migrations() {
			return Map.of("pending", 0, "running", 0, "failed", 0, "migrations", List.of(), "postDeploy", List.of());
		}

		@WriteOperation
		Map<String, Object> run() {
			return Map.of("started", false, "pending", List.of(), "reason", "nothing pending");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Profile("secured")
	static class Secured {

		@Bean
		@Order(1)
		SecurityFilterChain actuator(HttpSecurity http) throws Exception {
			http.securityMatcher(EndpointRequest.toAnyEndpoint())
				.authorizeHttpRequests((requests) -> requests
					.requestMatchers(EndpointRequest.to("datamigrations").withHttpMethod(HttpMethod.GET))
					.hasRole("VIEWER")
					.anyRequest()
					.hasRole("OPS"))
				.httpBasic(Customizer.withDefaults())
				// as in the sample: callers send credentials with each request, no session to forge
				.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		@Order(2)
		SecurityFilterChain application(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults());
			return http.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(User.withUsername("viewer").password("{noop}viewer").roles("VIEWER").build(),
					User.withUsername("ops").password("{noop}ops").roles("VIEWER", "OPS").build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Profile("csrf")
	static class SecuredWithCsrf {

		@Bean
		SecurityFilterChain everything(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults());
			return http.build();
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(User.withUsername("ops").password("{noop}ops").roles("OPS").build());
		}

	}

}
