package dev.datamigrate;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One migration as the history table and the application know it.
 *
 * @param version the version
 * @param description what it does
 * @param className the class implementing it, or the one recorded when it ran
 * @param status its state
 * @param attempts how many times it was started
 * @param startedAt when it was last started
 * @param finishedAt when it last finished
 * @param durationMs how long it ran, in milliseconds
 * @param recordsTotal records to process, when known
 * @param recordsProcessed records processed so far
 * @param batchesDone batches committed so far
 * @param checkpoint the last checkpoint
 * @param error the error of its last failure
 * @param executedBy host and process that last ran it
 * @param triggeredBy {@code startup}, or who asked for the run
 * @param updatedAt when its record last changed
 * @param batchSize size of the last batch of its walk
 * @param interruptedSince when the run it is RUNNING for last said it was alive, if that is longer ago
 * than a heartbeat lasts: no runner works on it now; {@code null} otherwise
 * @param throttledBy why a throttle holds its running walk back, or {@code null} while none does
 * @param throttledSince since when a throttle holds its running walk back, or {@code null}
 * @param appVersion the version of the application that ran it last, or {@code null}
 * @param rowsPerSecond records per second over about the last minute of its run, while it is RUNNING
 * and its runner is alive; {@code null} otherwise
 * @param ranges the ranges of its parallel walk, or {@code null} when it walks none
 * @param known whether this application has a bean for it
 */
public record MigrationInfo(String version, @Nullable String description, @Nullable String className,
		MigrationStatus status, int attempts, @Nullable Instant startedAt, @Nullable Instant finishedAt,
		@Nullable Long durationMs, @Nullable Long recordsTotal, long recordsProcessed, long batchesDone,
		@Nullable String checkpoint, @Nullable String error, @Nullable String executedBy, @Nullable String triggeredBy,
		@Nullable Instant updatedAt, @Nullable Integer batchSize, @Nullable Instant interruptedSince,
		@Nullable String throttledBy, @Nullable Instant throttledSince, @Nullable String appVersion,
		@Nullable Double rowsPerSecond, @Nullable Ranges ranges, boolean known) {

	/**
	 * Fraction of the records processed, between 0 and 1, or {@code null} when the total is unknown.
	 * @return the progress
	 */
	public @Nullable Double progress() {
		if (this.status.isDone()) {
			return 1.0;
		}
		if (this.recordsTotal == null || this.recordsTotal <= 0) {
			return null;
		}
		return Math.min(1.0, (double) this.recordsProcessed / this.recordsTotal);
	}

	/**
	 * Seconds until a RUNNING migration is done at its rate over about the last minute, or {@code null}
	 * when its total or its rate is unknown, or it does not run.
	 * @return the estimated time to finish
	 */
	public @Nullable Long etaSeconds() {
		if (this.rowsPerSecond == null || this.rowsPerSecond <= 0 || this.recordsTotal == null) {
			return null;
		}
		return (long) Math.ceil(Math.max(0, this.recordsTotal - this.recordsProcessed) / this.rowsPerSecond);
	}

	/**
	 * The ranges of a parallel walk, by state, and the workers walking them.
	 *
	 * @param done ranges walked to their end
	 * @param running ranges a live worker walks now
	 * @param waiting ranges no live worker walks: not started, stopped, or left by a worker that died
	 * @param failed ranges whose batch failed, which failed the migration
	 * @param workers the instance ({@code executedBy}) of each worker walking a range now
	 */
	public record Ranges(int done, int running, int waiting, int failed, List<String> workers) {
	}

	/**
	 * State of a data migration in the history table.
	 */
	public enum MigrationStatus {

		/** Known, not started. */
		PENDING,

		/** Running, or interrupted while running: the next run resumes it. */
		RUNNING,

		/** Paused by an operator; holds the queue until resumed. */
		PAUSED,

		/** Applied. */
		SUCCEEDED,

		/** Failed; halts the queue until retried or skipped. */
		FAILED,

		/** Marked done by an operator without running. */
		SKIPPED,

		/** Recorded as applied by {@code data-migrate.baseline-version} without running. */
		BASELINE;

		/**
		 * Whether a migration in this state is done and will never run again.
		 * @return whether the state is final
		 */
		public boolean isDone() {
			return this == SUCCEEDED || this == SKIPPED || this == BASELINE;
		}

	}

}
