package dev.datamigrate.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.datamigrate.lock.MigrationLock;
import dev.datamigrate.testsupport.Wrapping;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application that {@link ChildJvm} starts: a plain non-web Spring Boot application that finds
 * the starter through auto-configuration, as a user's service does, with the migrations of the
 * configuration class named by the first argument. The other arguments are Spring Boot's
 * ({@code --data-migrate.on-startup=run-and-exit}, the data source, ...).
 * <p>
 * The schema tools and JPA on the test class path are left out: these applications have no
 * changelog or entities, and the tests check that nothing but the starter touches the database.
 * <p>
 * The only instrumentation is a pass-through around the starter's lock that prints when this
 * instance starts waiting for the lock and when it gets it (epoch milliseconds, same clock as the
 * test), so a test knows that a second instance is waiting and can measure the takeover.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
		"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
		"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
public class ChildApp {

	/** Printed when the instance starts to wait for the lock, followed by the epoch millis. */
	static final String LOCK_WAITING = "[child] waiting for the data migration lock at ";

	/** Printed when the instance got the lock, followed by the epoch millis. */
	static final String LOCK_ACQUIRED = "[child] took the data migration lock at ";

	/** Printed when the instance gave up waiting for the lock, followed by the epoch millis. */
	static final String LOCK_TIMED_OUT = "[child] gave up waiting for the data migration lock at ";

	/** An argument that leaves the web application type to Spring Boot, with its web server. */
	static final String WEB = "--child.web";

	public static void main(String[] args) throws Exception {
		Class<?> configuration = Class.forName(args[0]);
		List<String> arguments = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
		SpringApplication application = new SpringApplication(ChildApp.class, configuration);
		if (!arguments.remove(WEB)) {
			application.setWebApplicationType(WebApplicationType.NONE);
		}
		System.out.println("[child] pid " + ProcessHandle.current().pid() + " starts " + configuration.getSimpleName());
		application.run(arguments.toArray(String[]::new));
	}

	@Bean
	static BeanPostProcessor lockProbe() {
		return Wrapping.beansOf(MigrationLock.class, ProbedLock::new);
	}

	/**
	 * The starter's lock, unchanged, announcing its waits on stdout.
	 */
	private record ProbedLock(MigrationLock delegate) implements MigrationLock {

		@Override
		public Optional<Handle> acquire(Duration timeout) throws InterruptedException {
			System.out.println(LOCK_WAITING + System.currentTimeMillis());
			Optional<Handle> handle = this.delegate.acquire(timeout);
			System.out.println((handle.isPresent() ? LOCK_ACQUIRED : LOCK_TIMED_OUT) + System.currentTimeMillis());
			return handle;
		}

	}

}
