package dev.datamigrate.batch;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How walks run unless a migration says otherwise.
 *
 * @param size keys per batch, or {@code null} to size batches by time
 * @param minSize the smallest batch sized by time
 * @param maxSize the largest batch sized by time
 * @param targetDuration how long a batch sized by time should take
 * @param pause pause between batches
 * @param lockTimeout longest wait of a batch's statement for a lock
 * @param statementTimeout longest run of a batch's statement
 * @param maxAttempts attempts of a batch that fails with a transient error
 * @param synchronousCommit whether a batch's commit waits for the database's disk flush
 * @param workers workers on each instance of a parallel walk that names no number
 * @param joinFromOtherInstances whether this instance joins the parallel walks of others
 */
public record BatchSettings(@Nullable Integer size, int minSize, int maxSize, Duration targetDuration, Duration pause,
		Duration lockTimeout, Duration statementTimeout, int maxAttempts, boolean synchronousCommit, int workers,
		boolean joinFromOtherInstances) {

}
