package dev.datamigrate.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import dev.datamigrate.history.MigrationHistory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.TaskScheduler;

/**
 * Tells the history, three times per lease, that a run is alive, so that every instance can tell a
 * running migration from one whose runner died or lost its database.
 */
final class Heartbeat implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(Heartbeat.class);

	private final ScheduledFuture<?> beats;

	Heartbeat(TaskScheduler scheduler, MigrationHistory history, String version, String ownerToken, Duration lease) {
		Duration period = Duration.ofMillis(Math.max(1, lease.toMillis() / 3));
		this.beats = scheduler.scheduleWithFixedDelay(() -> {
			try {
				history.heartbeat(version, ownerToken);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not record the heartbeat of data migration " + version, ex);
			}
		}, Instant.now().plus(period), period);
	}

	@Override
	public void close() {
		this.beats.cancel(false);
	}

}
