package dev.datamigrate.sample;

import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Gives a {@code @SpringBootTest} class that implements it a {@link TestRedis} of its own: made when
 * Spring makes the class's application context, whose properties point the sample at it, and its keys
 * deleted once the class's tests ran. Spring finds the {@code @DynamicPropertySource} method and JUnit
 * the {@code @AfterAll} method on the interface as they would on the class.
 * <p>
 * One test class runs at a time, so one Redis is open at a time. Each class needs an application
 * context of its own (its properties differ from the other classes'): one taken from Spring's context
 * cache would not make a new Redis, and {@link #redis()} says so.
 */
interface UsesTestRedis {

	@DynamicPropertySource
	static void testRedis(DynamicPropertyRegistry registry) {
		TestRedis redis = Current.open();
		redis.properties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@AfterAll
	static void deleteTestRedisKeys() {
		Current.close();
	}

	/**
	 * The Redis of the test class that runs now.
	 * @return the test's Redis
	 * @throws IllegalStateException if this class's application context made none
	 */
	default TestRedis redis() {
		return Current.get();
	}

	/**
	 * The Redis open now, if any.
	 */
	final class Current {

		private static TestRedis redis;

		private Current() {
		}

		private static synchronized TestRedis open() {
			if (redis != null) {
				throw new IllegalStateException("A TestRedis is open already (" + redis + "): test classes "
						+ "implementing UsesTestRedis must not run at the same time");
			}
			redis = TestRedis.create();
			return redis;
		}

		private static synchronized TestRedis get() {
			if (redis == null) {
				throw new IllegalStateException("No TestRedis is open: the test class's application context "
						+ "made none, having come from Spring's context cache; give the class properties of its own");
			}
			return redis;
		}

		private static synchronized void close() {
			if (redis != null) {
				try {
					redis.close();
				}
				finally {
					redis = null;
				}
			}
		}

	}

}
