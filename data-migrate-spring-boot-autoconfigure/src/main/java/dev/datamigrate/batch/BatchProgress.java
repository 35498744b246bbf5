package dev.datamigrate.batch;

import java.time.Instant;
import java.util.function.Consumer;

import dev.datamigrate.Batch;
import dev.datamigrate.history.BatchCommit;
import dev.datamigrate.history.BatchLoop;
import dev.datamigrate.history.BoundStatement;
import dev.datamigrate.history.LoopedBatch;

/**
 * What a batch walk reports to the run that owns it, and asks of it.
 */
public interface BatchProgress {

	/**
	 * The checkpoint to resume after, or {@code null} to start from the beginning.
	 * @return the last committed checkpoint
	 */
	String checkpoint();

	/**
	 * Batches committed by earlier runs of this migration.
	 * @return the count
	 */
	long batchesDone();

	/**
	 * Records to process as counted when the migration was first started, if it was.
	 * @return the recorded total, or {@code null}
	 */
	Long recordedTotal();

	/**
	 * Records processed by earlier runs of this migration.
	 * @return the count
	 */
	long recordsProcessed();

	/**
	 * Whether the walk may count its rows on a connection of its own while its first batches run: the
	 * database takes a repeatable read snapshot at a transaction's first statement.
	 * @return whether it may
	 */
	boolean countsInSnapshot();

	/**
	 * Record the walk's total, unless one is recorded, in a transaction of its own; called from any thread,
	 * never in a batch's transaction.
	 * @param totalRecords records matching the walk, those processed by earlier runs included
	 * @return whether it was recorded: not when one is, or when the run no longer owns the migration
	 */
	boolean recordTotal(long totalRecords);

	/**
	 * The walk starts, or, with its total counted beside its first batches, started: reported before any
	 * of its batches.
	 * @param totalRecords records matching the walk, or {@code null} when its count failed or was cancelled
	 * @param totalBatches batches it takes, or {@code null} with no total
	 */
	void begin(Long totalRecords, Long totalBatches);

	/**
	 * Record a batch inside its transaction, so the batch commits only with its checkpoint, and only
	 * while the run still owns the migration.
	 * @param batch the batch
	 * @param checkpoint the checkpoint after it
	 * @param work the statement that does the batch's work, sent with the record, or {@code null} when a
	 * handler has done it
	 * @return the rows the statement changed, 0 without one
	 * @throws RuntimeException when the run no longer owns the migration: the batch rolls back
	 */
	long record(Batch<?> batch, String checkpoint, BoundStatement work);

	/**
	 * Whether {@link #commitAlone} may be used.
	 * @return whether a batch's statement and record can commit in the round trip that sends them
	 */
	boolean commitsAlone();

	/**
	 * Record a batch, run its statement and a query that sees it, in a transaction of their own that
	 * commits in the round trip that sends them; called outside any transaction, only where
	 * {@link #commitsAlone()}.
	 * @param batch the batch
	 * @param checkpoint the checkpoint after it
	 * @param work the statement that does the batch's work
	 * @param read the query
	 * @return the rows the statement changed and the query's rows
	 * @throws RuntimeException when the run no longer owns the migration: nothing was committed
	 */
	BatchCommit commitAlone(Batch<?> batch, String checkpoint, BoundStatement work, BoundStatement read);

	/**
	 * Whether {@link #commitLoop} may be used.
	 * @return whether the database can run a walk's batches itself
	 */
	boolean loopsInDatabase();

	/**
	 * Let the database run batches, each in a transaction of its own with its record, for the loop's
	 * budget; called outside any transaction, only where {@link #loopsInDatabase()}.
	 * @param loop the batches
	 * @param committed told of each batch that committed, before this returns or throws
	 * @return whether the walk has run out of keys
	 * @throws RuntimeException when the run no longer owns the migration: the batch that found it out
	 * rolled back
	 */
	boolean commitLoop(BatchLoop loop, Consumer<LoopedBatch> committed);

	/**
	 * A batch has committed.
	 * @param number its number
	 * @param size its keys
	 * @param checkpoint the checkpoint after it
	 * @param changed rows the batch changed
	 * @param committedAt when it committed
	 */
	void committed(long number, int size, String checkpoint, long changed, Instant committedAt);

	/**
	 * Whether the walk should stop before its next batch. Once it has answered {@code true}, the run
	 * treats the migration as unfinished.
	 * @return whether a stop was requested
	 */
	boolean stopRequested();

}
