package dev.datamigrate.runner;

import java.time.Duration;

/**
 * How the runner behaves, as configured under {@code data-migrate}.
 *
 * @param lockWaitTimeout how long a run waits for the lock
 * @param retryFailed whether FAILED migrations run again
 * @param baselineVersion the baseline on a database without history, or {@code null}
 * @param batchSize the default batch size
 * @param batchPause the default pause between batches
 * @param batchSynchronousCommit whether a batch's commit waits for the database's disk flush
 * @param batchReadAhead whether a walk reads its next batch's keys while a batch runs
 * @param batchInDatabase whether the database may run a walk's batches itself
 */
public record RunnerSettings(Duration lockWaitTimeout, boolean retryFailed, MigrationVersion baselineVersion,
		int batchSize, Duration batchPause, boolean batchSynchronousCommit, boolean batchReadAhead,
		boolean batchInDatabase) {

}
