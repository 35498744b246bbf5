package dev.datamigrate.console;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.web.servlet.function.RouterFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the console is there: in a Spring MVC application, unless switched off.
 */
class ConsoleAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConsoleAutoConfiguration.class));

	@Test
	void aServletWebApplicationHasTheConsoleAtDataMigrations() {
		this.runner.run((context) -> {
			assertThat(context).hasBean("dataMigrationsConsole").hasSingleBean(RouterFunction.class);
			assertThat(context.getBean(ConsoleProperties.class).getPath()).isEqualTo("/datamigrations");
			assertThat(context).hasSingleBean(SpringSecurityConsoleSecurity.class);
		});
	}

	@Test
	void switchedOffByProperty() {
		this.runner.withPropertyValues("data-migrate.console.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("dataMigrationsConsole")
				.doesNotHaveBean(ConsoleProperties.class));
	}

	@Test
	void notInAnApplicationWithoutSpringMvc() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ConsoleAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean("dataMigrationsConsole"));
		new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations.of(ConsoleAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean("dataMigrationsConsole"));
		this.runner.withClassLoader(new FilteredClassLoader(RouterFunction.class))
			.run((context) -> assertThat(context).doesNotHaveBean("dataMigrationsConsole"));
	}

	@Test
	void withoutSpringSecurityTheEndpointsAccessAloneDecides() {
		this.runner.withClassLoader(new FilteredClassLoader(WebInvocationPrivilegeEvaluator.class))
			.run((context) -> assertThat(context).hasBean("dataMigrationsConsole")
				.doesNotHaveBean(SpringSecurityConsoleSecurity.class));
	}

	@Test
	void aNativeImageGetsThePageScriptAndStyleSheet() {
		RuntimeHints hints = new RuntimeHints();
		new ConsoleRuntimeHints().registerHints(hints, getClass().getClassLoader());
		for (String file : new String[] { "index.html", "assets/console.js", "assets/console.css" }) {
			assertThat(RuntimeHintsPredicates.resource().forResource(ConsolePage.LOCATION + file)).as(file).accepts(hints);
		}
	}

	@Test
	void aPathOfItsOwn() {
		this.runner.withPropertyValues("data-migrate.console.path=/ops/migrations")
			.run((context) -> assertThat(context.getBean(ConsoleProperties.class).getPath()).isEqualTo("/ops/migrations"));
	}

	@Test
	void aPathThatIsNoPathStopsStartupNamingTheProperty() {
		for (String path : new String[] { "datamigrations", "/datamigrations/", "/{version}", "/a//b", "/a b" }) {
			this.runner.withPropertyValues("data-migrate.console.path=" + path)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.as(path)
					.hasMessageContaining("data-migrate.console.path must be a path such as /datamigrations"));
		}
	}

}
