package dev.datamigrate;

import java.util.concurrent.CompletableFuture;

/**
 * Operations on the application's data migrations. The startup runner, the Actuator endpoint and
 * tests all go through this bean. Every operation acts on the shared history table, so it may be
 * called on any instance.
 */
public interface DataMigrations {

	/**
	 * Every known migration in version order, with its state from the history table.
	 * @return the status
	 */
	DataMigrationsStatus status();

	/**
	 * Run pending migrations now, on the calling thread, under the cluster-wide lock.
	 * @return what happened
	 */
	RunResult runPending();

	/**
	 * Run pending migrations now, on the calling thread, recording who asked.
	 * @param triggeredBy who asked, recorded in {@code triggered_by}
	 * @return what happened
	 */
	RunResult runPending(String triggeredBy);

	/**
	 * Run pending migrations on a thread of their own, unless this instance already runs them.
	 * @param triggeredBy who asked, recorded in {@code triggered_by}
	 * @return the run started, or the one already under way on this instance
	 */
	CompletableFuture<RunResult> runPendingInBackground(String triggeredBy);

	/**
	 * Ask a pending or running migration to pause. A running one stops after its current batch,
	 * wherever it runs. A paused migration holds the queue until it is resumed.
	 * @param version the version
	 * @return the migration's new state
	 */
	MigrationInfo pause(String version);

	/**
	 * Put a paused migration back in the queue; it continues from its checkpoint at the next run.
	 * @param version the version
	 * @return the migration's new state
	 */
	MigrationInfo resume(String version);

	/**
	 * Put a failed migration back in the queue; it runs again, from its checkpoint, at the next run.
	 * @param version the version
	 * @return the migration's new state
	 */
	MigrationInfo retry(String version);

	/**
	 * Mark a migration that has not succeeded as done without running it, releasing the queue.
	 * @param version the version
	 * @return the migration's new state
	 */
	MigrationInfo skip(String version);

}
