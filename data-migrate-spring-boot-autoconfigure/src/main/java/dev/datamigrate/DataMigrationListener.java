package dev.datamigrate;

import java.time.Duration;

/**
 * Told what the runner does, on the thread that does it. Beans of this type are picked up by the
 * auto-configuration; the metrics are one.
 */
public interface DataMigrationListener {

	/**
	 * A migration starts or resumes.
	 * @param version its version
	 */
	default void migrationStarted(String version) {
	}

	/**
	 * A batch of a migration has committed.
	 * @param version the migration's version
	 * @param records records the batch processed
	 */
	default void batchCommitted(String version, int records) {
	}

	/**
	 * A batch of a migration has committed, with the size it was read with and how long its transaction
	 * took. The runner calls this one; by default it calls {@link #batchCommitted(String, int)}.
	 * @param version the migration's version
	 * @param records records the batch processed
	 * @param size the batch size it was read with
	 * @param took how long its transaction took
	 */
	default void batchCommitted(String version, int records, int size, Duration took) {
		batchCommitted(version, records);
	}

	/**
	 * A batch of a migration failed with a transient error, rolled back, and is tried again.
	 * @param version the migration's version
	 */
	default void batchRetried(String version) {
	}

	/**
	 * A throttle holds a migration's walk back.
	 * @param version the migration's version
	 * @param reason why, as the throttle said
	 */
	default void migrationThrottled(String version, String reason) {
	}

	/**
	 * The throttles let a migration's walk go on, or it stopped while held.
	 * @param version the migration's version
	 * @param held how long it was held
	 */
	default void migrationUnthrottled(String version, Duration held) {
	}

	/**
	 * A migration's run failed; {@link #migrationFinished} follows with {@link Outcome#FAILED}.
	 * @param version its version
	 * @param error why
	 */
	default void migrationFailed(String version, Throwable error) {
	}

	/**
	 * A migration's run ends.
	 * @param version its version
	 * @param outcome how it ended
	 * @param duration how long the run took
	 */
	default void migrationFinished(String version, Outcome outcome, Duration duration) {
	}

	/**
	 * How a migration's run ended.
	 */
	enum Outcome {

		/** It succeeded. */
		SUCCEEDED,

		/** It failed. */
		FAILED,

		/** It stopped before its end: paused, taken over, or the application shut down. */
		STOPPED

	}

}
