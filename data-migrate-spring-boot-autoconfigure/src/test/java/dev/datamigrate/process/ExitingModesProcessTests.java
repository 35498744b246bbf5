package dev.datamigrate.process;

import dev.datamigrate.process.ChildMigrations.ThreeMigrations;
import dev.datamigrate.testsupport.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same jar as a Kubernetes Job or a pipeline step: a web application keeps its web context in
 * {@code run-and-exit} and {@code plan} modes, opens no port, whatever asks for one, and exits.
 */
class ExitingModesProcessTests extends ChildJvmTestSupport {

	@ParameterizedTest
	@ValueSource(strings = { "run-and-exit", "plan" })
	void exitingModesOpenNoPort(String mode) throws Exception {
		useDatabase(Kind.POSTGRESQL);
		Exited exited = runToEnd("no-port-" + mode, ThreeMigrations.class, ChildApp.WEB,
				"--data-migrate.on-startup=" + mode, "--server.port=0", "--spring.main.web-application-type=servlet");
		assertThat(exited.code()).as(exited.describe()).isZero();
		assertThat(exited.stdout()).contains("Tomcat started on port -1").doesNotContainPattern("Tomcat started on port [0-9]");
	}

}
