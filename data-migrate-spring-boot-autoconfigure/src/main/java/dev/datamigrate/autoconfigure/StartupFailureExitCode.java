package dev.datamigrate.autoconfigure;

import dev.datamigrate.autoconfigure.DataMigrateProperties.OnStartup;

import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

/**
 * In {@code run-and-exit} and {@code plan}, a JVM whose application failed to start exits with
 * {@value #EXIT_CODE} instead of Java's 1, which would read as "a data migration failed". It waits for
 * the main thread to end first, so that Spring Boot reports the failure as usual, and an exit code that
 * the application's own {@code ExitCodeExceptionMapper} gives wins (Spring Boot exits with it before).
 * A test's application context that fails to start fails its test, and the test JVM goes on.
 */
class StartupFailureExitCode implements ApplicationListener<ApplicationFailedEvent> {

	/** The exit code of an application that failed to start. */
	static final int EXIT_CODE = 3;

	@Override
	public void onApplicationEvent(ApplicationFailedEvent event) {
		if (event.getApplicationContext() == null) {
			return;
		}
		Binder binder = Binder.get(event.getApplicationContext().getEnvironment());
		boolean enabled = binder.bind("data-migrate.enabled", Boolean.class).orElse(true);
		OnStartup mode = binder.bind("data-migrate.on-startup", OnStartup.class).orElse(OnStartup.RUN);
		Thread failing = Thread.currentThread();
		if (!enabled || (mode != OnStartup.RUN_AND_EXIT && mode != OnStartup.PLAN) || !"main".equals(failing.getName())
				|| !JvmExit.allowed(event.getApplicationContext().getEnvironment())) {
			return;
		}
		Thread exit = new Thread(() -> {
			try {
				failing.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			System.exit(EXIT_CODE);
		}, "data-migrate-exit-code");
		// not a daemon: the JVM waits for it once the main thread has died of the failure
		exit.start();
	}

}
