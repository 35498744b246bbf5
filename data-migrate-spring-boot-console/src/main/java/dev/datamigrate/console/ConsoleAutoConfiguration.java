package dev.datamigrate.console;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Auto-configuration of the operations console: a page at {@code data-migrate.console.path} in a
 * Spring MVC application that reads and acts through the {@code datamigrations} Actuator endpoint.
 */
@AutoConfiguration(afterName = "org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBooleanProperty(name = "data-migrate.console.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConsoleProperties.class)
@ImportRuntimeHints(ConsoleRuntimeHints.class)
public final class ConsoleAutoConfiguration {

	@Bean
	RouterFunction<ServerResponse> dataMigrationsConsole(ConsoleProperties properties,
			ObjectProvider<PathMappedEndpoints> endpoints, ObjectProvider<ConsoleSecurity> security,
			Environment environment) {
		return new ConsoleRoutes(properties.getPath(), new ConsoleEndpoint(endpoints, environment),
				security.getIfAvailable(() -> ConsoleSecurity.NONE))
			.routes();
	}

	/**
	 * Nested, so that without Spring Security the outer class loads without its types.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebInvocationPrivilegeEvaluator.class)
	static class SecurityConfiguration {

		@Bean
		ConsoleSecurity dataMigrationsConsoleSecurity(ObjectProvider<WebInvocationPrivilegeEvaluator> evaluator) {
			return new SpringSecurityConsoleSecurity(evaluator);
		}

	}

}
