package dev.datamigrate.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exiting modes start no web server unless the application asks for one.
 */
class ExitingModeEnvironmentPostProcessorTests {

	@Test
	void runAndExitStartsNoWebServer() {
		assertThat(webApplicationType("data-migrate.on-startup=run-and-exit")).isEqualTo(WebApplicationType.NONE);
	}

	@Test
	void planStartsNoWebServer() {
		assertThat(webApplicationType("data-migrate.on-startup=PLAN"))
			.isEqualTo(WebApplicationType.NONE);
	}

	@Test
	void anExplicitWebApplicationTypeWins() {
		assertThat(webApplicationType("data-migrate.on-startup=run-and-exit", "spring.main.web-application-type=servlet"))
			.isEqualTo(WebApplicationType.SERVLET);
	}

	@Test
	void otherModesKeepTheWebServer() {
		assertThat(webApplicationType("data-migrate.on-startup=background")).isNull();
		assertThat(webApplicationType()).isNull();
	}

	@Test
	void disabledStarterChangesNothing() {
		assertThat(webApplicationType("data-migrate.on-startup=plan", "data-migrate.enabled=false")).isNull();
	}

	private static WebApplicationType webApplicationType(String... properties) {
		StandardEnvironment environment = new StandardEnvironment();
		TestPropertyValues.of(properties).applyTo(environment);
		new ExitingModeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		return Binder.get(environment).bind("spring.main.web-application-type", WebApplicationType.class).orElse(null);
	}

}
