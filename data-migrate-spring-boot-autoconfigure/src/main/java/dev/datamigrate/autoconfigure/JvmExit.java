package dev.datamigrate.autoconfigure;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Whether an exiting mode may end the JVM: not in a test that Spring's TestContext framework runs (a
 * {@code @SpringBootTest} or a test slice), whose JVM goes on to the next test. Spring Boot's test
 * bootstrapper always adds a property of its own ({@code SpringBootTestContextBootstrapper=true}) to the
 * test's inlined properties, which Spring's test support adds to the environment as one source.
 */
final class JvmExit {

	/** The name of the property source of a test's inlined properties ({@code TestPropertySourceUtils}). */
	static final String TEST_PROPERTIES = "Inlined Test Properties";

	private JvmExit() {
	}

	/**
	 * Whether the application may end the JVM it runs in.
	 * @param environment the application's environment
	 * @return {@code false} for the application context of a test
	 */
	static boolean allowed(Environment environment) {
		return !(environment instanceof ConfigurableEnvironment configurable)
				|| !configurable.getPropertySources().contains(TEST_PROPERTIES);
	}

}
