package dev.datamigrate;

import org.jspecify.annotations.Nullable;

/**
 * What a running {@link DataMigrationTask} can ask of the runner.
 */
public interface DataMigrationContext {

	/**
	 * Version of the running migration.
	 * @return the version
	 */
	String version();

	/**
	 * Description of the running migration.
	 * @return the description
	 */
	String description();

	/**
	 * Start a keyset-paginated batch run over a table. Each batch runs in its own transaction that also
	 * records the checkpoint, so an interrupted run resumes after the last committed batch. A migration
	 * walks one table: its one checkpoint is that walk's, so a second call fails. In a
	 * {@link DataMigration#transactional() transactional} migration, work done outside the batches
	 * belongs to the migration's own transaction, which commits when the migration ends, so the batches
	 * do not see it: make a migration that prepares something for its batches non-transactional.
	 * @param table the table to walk
	 * @return a builder for the batch run
	 * @throws IllegalStateException if this migration already walks a table
	 */
	Batches<Long> batches(String table);

	/**
	 * The checkpoint last recorded for this migration, either by a batch run or by
	 * {@link #checkpoint(String)}, or {@code null} when none was recorded.
	 * @return the last checkpoint or {@code null}
	 */
	@Nullable String checkpoint();

	/**
	 * Record a checkpoint for a custom resumable loop. It is written in the current transaction if one
	 * is active, so work and checkpoint commit together; otherwise on its own. It is written only while
	 * this run still owns the migration, and fails otherwise. A resumable loop is a
	 * {@code transactional = false} migration that runs each step in a transaction of its own; in a
	 * transactional migration's own transaction, the checkpoint is recorded with the migration's success.
	 * @param checkpoint the new checkpoint
	 */
	void checkpoint(String checkpoint);

	/**
	 * Record progress for custom work, shown in the history and the endpoint.
	 * @param processed records processed so far
	 * @param total records in all, or a negative number when unknown
	 */
	void progress(long processed, long total);

	/**
	 * Whether the migration was asked to stop (paused, or the application is shutting down). A custom
	 * loop should return at its next safe point when this is {@code true}.
	 * @return whether a stop was requested
	 */
	boolean stopRequested();

}
