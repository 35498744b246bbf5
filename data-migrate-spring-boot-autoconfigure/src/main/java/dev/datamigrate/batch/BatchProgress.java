package dev.datamigrate.batch;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What a batch walk reports to the run that owns it, and asks of it.
 */
public interface BatchProgress {

	/**
	 * Version of the migration that walks.
	 * @return the version
	 */
	String version();

	/**
	 * The checkpoint to resume after, or {@code null} to start from the beginning.
	 * @return the last committed checkpoint
	 */
	@Nullable String checkpoint();

	/**
	 * Batches committed by earlier runs of this migration.
	 * @return the count
	 */
	long batchesDone();

	/**
	 * Records to process as counted when the migration was first started, if it was.
	 * @return the recorded total, or {@code null}
	 */
	@Nullable Long recordedTotal();

	/**
	 * Records processed by earlier runs of this migration.
	 * @return the count
	 */
	long recordsProcessed();

	/**
	 * The walk starts: record its total, unless it is recorded, and report the start.
	 * @param totalRecords records matching the walk, those processed by earlier runs included
	 * @param counted whether the walk counted them now, so that they are to be recorded
	 * @param totalBatches batches it takes, or {@code null} where batches are sized by time
	 */
	void begin(long totalRecords, boolean counted, @Nullable Long totalBatches);

	/**
	 * Record a batch inside its transaction, so the batch commits only with its checkpoint, and only
	 * while the run still owns the migration.
	 * @param checkpoint the checkpoint after it
	 * @param records records the batch processed
	 * @param size the size the batch was read with
	 * @throws RuntimeException when the run no longer owns the migration: the batch rolls back
	 */
	void record(String checkpoint, long records, int size);

	/**
	 * A batch has committed.
	 * @param number its number
	 * @param size the size it was read with
	 * @param records records it processed
	 * @param changed rows it changed
	 * @param took how long its transaction took
	 */
	void committed(long number, int size, long records, long changed, Duration took);

	/**
	 * A batch failed with a transient error and rolled back; it is tried again after a backoff.
	 * @param number its number
	 * @param attempt the attempt that failed, from 1
	 * @param error the error
	 * @param backoff the wait before the next attempt
	 */
	void retrying(long number, int attempt, Throwable error, Duration backoff);

	/**
	 * A throttle holds the walk back; it stays held until {@link #unthrottled}.
	 * @param reason why, as the throttle said
	 * @param backoff the throttle's first wait
	 */
	void throttled(String reason, Duration backoff);

	/**
	 * The throttles let the walk go on, or it stops while held.
	 * @param held how long it was held
	 */
	void unthrottled(Duration held);

	/**
	 * The ranges of a parallel walk have processed this many records in all, over this many batches.
	 * @param records records processed, by every worker and earlier runs
	 * @param batches batches committed
	 * @param checkpoint how far the walk is, such as {@code 5 of 16 ranges done}
	 */
	void processed(long records, long batches, String checkpoint);

	/**
	 * The walk ends, whether it ran out of keys, stopped or failed.
	 */
	void ended();

	/**
	 * Whether the walk should stop before its next batch. Once it has answered {@code true}, the run
	 * treats the migration as unfinished.
	 * @return whether a stop was requested
	 */
	boolean stopRequested();

}
