package dev.datamigrate.runner;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.context.SmartLifecycle;

/**
 * Stops the runs of an instance with its application context: {@code stop} asks every run under way to
 * stop after its current batch, and the context waits for a background run to end, for at most
 * {@code spring.lifecycle.timeout-per-shutdown-phase}. The run stops in the phase of the web server's
 * graceful shutdown, so that its last batch and the requests in flight end at the same time, and before
 * the executors, the data source and the heartbeats go.
 */
public class DataMigrationsLifecycle implements SmartLifecycle {

	/** The phase of the web server's graceful shutdown ({@code WebServerGracefulShutdownLifecycle}). */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	private static final Duration STOP_WAIT = Duration.ofSeconds(30);

	private final DefaultDataMigrations migrations;

	private volatile boolean running;

	/**
	 * Create the lifecycle of an application's runs.
	 * @param migrations the application's migrations
	 */
	public DataMigrationsLifecycle(DefaultDataMigrations migrations) {
		this.migrations = migrations;
	}

	@Override
	public void start() {
		this.migrations.allowRuns();
		this.running = true;
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		this.migrations.stopRuns().whenComplete((result, ex) -> callback.run());
	}

	/**
	 * Ask the runs to stop after their current batch and wait for a background run, up to 30 seconds.
	 */
	@Override
	public void stop() {
		this.running = false;
		try {
			this.migrations.stopRuns().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// the next run resumes it
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
