package dev.datamigrate.process;

import dev.datamigrate.process.ChildMigrations.ThreeMigrations;
import dev.datamigrate.testsupport.TestDatabase.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same jar as a Kubernetes Job or a pipeline step: an application with a web server on its class
 * path starts none in {@code run-and-exit} and {@code plan} modes, and exits.
 */
class ExitingModesProcessTests extends ChildJvmTestSupport {

	@ParameterizedTest
	@ValueSource(strings = { "run-and-exit", "plan" })
	void exitingModesStartNoWebServer(String mode) throws Exception {
		useDatabase(Kind.POSTGRESQL);
		Exited exited = runToEnd("no-web-" + mode, ThreeMigrations.class, ChildApp.WEB,
				"--data-migrate.on-startup=" + mode, "--server.port=0");
		assertThat(exited.code()).as(exited.describe()).isZero();
		assertThat(exited.stdout()).doesNotContain("Tomcat started").doesNotContain("Tomcat initialized");
	}

	@Test
	void aWebServerAskedForStarts() throws Exception {
		useDatabase(Kind.POSTGRESQL);
		Exited exited = runToEnd("web-servlet", ThreeMigrations.class, ChildApp.WEB,
				"--data-migrate.on-startup=run-and-exit", "--spring.main.web-application-type=servlet",
				"--server.port=0");
		assertThat(exited.code()).as(exited.describe()).isZero();
		assertThat(exited.stdout()).contains("Tomcat started");
	}

}
