package dev.datamigrate;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What one run of pending migrations did.
 *
 * @param outcome how the run ended
 * @param applied versions that succeeded in this run
 * @param blockedBy the version that failed, or that holds the queue, if any
 * @param error the failure, if any
 */
public record RunResult(Outcome outcome, List<String> applied, @Nullable String blockedBy,
		@Nullable Throwable error) {

	/**
	 * What {@link #blockedBy()} names when the post-deploy schema changes failed.
	 */
	public static final String POST_DEPLOY = "post-deploy";

	public RunResult {
		applied = List.copyOf(applied);
	}

	/**
	 * How a run ended.
	 */
	public enum Outcome {

		/** Nothing is left pending. */
		COMPLETED,

		/** A migration failed in this run. */
		FAILED,

		/** The queue is held by a migration that failed earlier or is paused. */
		HALTED,

		/** The run stopped on request (pause or shutdown) before the queue was done. */
		STOPPED,

		/**
		 * The run lost its database connection or the lock before the queue was done; a run in the
		 * background starts again by itself, and any next run resumes from the last checkpoint.
		 */
		INTERRUPTED,

		/** Another instance held the lock for longer than {@code data-migrate.lock.wait-timeout}. */
		LOCK_UNAVAILABLE,

		/**
		 * Schema changes were still pending after {@code data-migrate.schema.wait-timeout}, so nothing ran;
		 * {@link RunResult#error()} names them.
		 */
		SCHEMA_NOT_UP_TO_DATE

	}

	/**
	 * Exit code for {@code run-and-exit}: 0 when nothing is left pending, 1 when a migration failed or
	 * the queue is halted, 2 when the lock or an up-to-date schema could not be had within its wait timeout.
	 * @return the exit code
	 */
	public int exitCode() {
		return switch (this.outcome) {
			case COMPLETED -> 0;
			case LOCK_UNAVAILABLE, SCHEMA_NOT_UP_TO_DATE -> 2;
			default -> 1;
		};
	}

}
