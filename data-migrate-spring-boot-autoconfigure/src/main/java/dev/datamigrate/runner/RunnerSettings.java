package dev.datamigrate.runner;

import java.time.Duration;

import dev.datamigrate.batch.BatchSettings;
import org.jspecify.annotations.Nullable;

/**
 * How the runner behaves, as configured under {@code data-migrate}.
 *
 * @param lockWaitTimeout how long a run waits for the lock
 * @param leaseDuration how long a run's heartbeat, or a lease lock, lasts without renewal
 * @param retryFailed whether FAILED migrations run again
 * @param baselineVersion the baseline on a database without history, or {@code null}
 * @param batch how walks run
 * @param batchLogInterval the shortest time between two INFO batch events of a walk
 * @param schemaWaitTimeout how long a run waits for the schema tool to have nothing pending
 * @param appVersion the application's version, recorded with each run, or {@code null}
 */
public record RunnerSettings(Duration lockWaitTimeout, Duration leaseDuration, boolean retryFailed,
		@Nullable MigrationVersion baselineVersion, BatchSettings batch, Duration batchLogInterval, Duration schemaWaitTimeout,
		@Nullable String appVersion) {

}
