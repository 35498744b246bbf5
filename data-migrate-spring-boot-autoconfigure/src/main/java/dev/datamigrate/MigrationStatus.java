package dev.datamigrate;

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
