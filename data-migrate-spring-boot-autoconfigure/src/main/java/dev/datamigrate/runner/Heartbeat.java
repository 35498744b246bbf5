package dev.datamigrate.runner;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.datamigrate.history.MigrationHistory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells the history, three times per lease, that a run is alive, so that every instance can tell a
 * running migration from one whose runner died or lost its database.
 */
final class Heartbeat implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(Heartbeat.class);

	private final ScheduledExecutorService executor;

	Heartbeat(MigrationHistory history, String version, String ownerToken, Duration lease) {
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "data-migrate-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.max(1, lease.toMillis() / 3);
		this.executor.scheduleWithFixedDelay(() -> {
			try {
				history.heartbeat(version, ownerToken);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not record the heartbeat of data migration " + version, ex);
			}
		}, period, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
