package dev.datamigrate.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestContextManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A {@code @SpringBootTest} in {@code run-and-exit} mode whose application fails to start fails as any
 * test does: the starter does not arrange for the JVM, which goes on to the next test, to exit with 3.
 */
class StartupFailureInATestTests {

	@Test
	void aTestWhoseApplicationFailsToStartFailsAndLeavesTheJvmAlone() {
		// what JUnit's Spring extension does before a test method of the class runs
		TestContextManager testContext = new TestContextManager(FailingApplicationTest.class);
		assertThatIllegalStateException()
			.isThrownBy(() -> testContext.prepareTestInstance(new FailingApplicationTest()))
			.withMessageContaining("Failed to load ApplicationContext")
			.withRootCauseInstanceOf(IllegalStateException.class)
			.havingRootCause()
			.withMessage("A bean of the application failed");
		assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
			.as("no thread waits for the test JVM's main thread to end to exit with 3")
			.doesNotContain("data-migrate-exit-code");
	}

	/**
	 * Loaded by the test above only (surefire leaves nested classes out).
	 */
	@SpringBootTest(classes = FailingApplicationTest.Application.class, webEnvironment = WebEnvironment.NONE,
			properties = { "data-migrate.on-startup=run-and-exit", "spring.datasource.generate-unique-name=true" })
	static class FailingApplicationTest {

		@Test
		void startsTheApplication() {
		}

		@SpringBootConfiguration
		@EnableAutoConfiguration(excludeName = {
				"org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
				"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
				"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
				"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
		static class Application {

			@Bean
			Object failingBean() {
				throw new IllegalStateException("A bean of the application failed");
			}

		}

	}

}
