package dev.datamigrate.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exiting modes open no HTTP port, whatever the application's configuration says, and keep its
 * web application type.
 */
class ExitingModeEnvironmentPostProcessorTests {

	@Test
	void runAndExitOpensNoPort() {
		StandardEnvironment environment = environment("data-migrate.on-startup=run-and-exit", "server.port=8080",
				"management.server.port=8081");
		assertThat(environment.getProperty("server.port")).isEqualTo("-1");
		assertThat(environment.getProperty("management.server.port")).isEqualTo("-1");
		assertThat(environment.getProperty("spring.main.web-application-type")).isNull();
	}

	@Test
	void planOpensNoPort() {
		assertThat(environment("data-migrate.on-startup=PLAN").getProperty("server.port")).isEqualTo("-1");
	}

	@Test
	void otherModesKeepThePort() {
		assertThat(environment("data-migrate.on-startup=background", "server.port=8080").getProperty("server.port"))
			.isEqualTo("8080");
		assertThat(environment().getProperty("server.port")).isNull();
	}

	@Test
	void disabledStarterChangesNothing() {
		assertThat(environment("data-migrate.on-startup=plan", "data-migrate.enabled=false").getProperty("server.port"))
			.isNull();
	}

	private static StandardEnvironment environment(String... properties) {
		StandardEnvironment environment = new StandardEnvironment();
		TestPropertyValues.of(properties).applyTo(environment);
		new ExitingModeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

}
