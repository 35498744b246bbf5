package dev.datamigrate.batch;

import java.time.Duration;

import dev.datamigrate.Batches.Batch;
import dev.datamigrate.Batches.BatchHandler;
import dev.datamigrate.database.Database;
import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One walk over a table: batch after batch, each one transaction that reads the batch's range of keys,
 * does its work, records its checkpoint and commits, with limits on its lock waits and statement time. A
 * batch that fails with a transient error rolls back and is tried again; one whose statement ran out of
 * time, at half its size.
 *
 * @param <K> the key type
 */
final class BatchWalk<K> {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final Database database;

	private final BatchProgress progress;

	private final BatchSettings settings;

	private final BatchQueries<K> queries;

	private final KeyType<K> keyType;

	private final BatchSizer sizer;

	private final @Nullable Integer fixedSize;

	private final long pauseMillis;

	private final RetryTemplate retries;

	private final WalkThrottle throttle;

	/** The number of the batch being attempted, for its retry events. */
	private long attempting;

	private Throwable lastError;

	/** The range of the batch last attempted, for the error that ends its attempts. */
	private BatchQueries.@Nullable Range<K> attempted;

	BatchWalk(KeysetBatches.Engine engine, BatchQueries<K> queries, KeyType<K> keyType, Integer size, BatchSizer sizer,
			long pauseMillis, WalkThrottle throttle) {
		this.jdbc = engine.jdbc();
		this.transactions = engine.transactions();
		this.database = engine.database();
		this.progress = engine.progress();
		this.settings = engine.settings();
		this.queries = queries;
		this.keyType = keyType;
		this.fixedSize = size;
		this.sizer = sizer;
		this.pauseMillis = pauseMillis;
		this.throttle = throttle;
		this.retries = new RetryTemplate(RetryPolicy.builder()
			.predicate(this.database::isTransient)
			.backOff(new RetryBackOff(RetryBackOff.batchAttempts(this.settings.maxAttempts()),
					this.progress::stopRequested,
					(attempt, backoff) -> this.progress.retrying(this.attempting, attempt, this.lastError, backoff)))
			.build());
	}

	/**
	 * Walk the table from the checkpoint, doing the work of each batch in its transaction.
	 * @return the rows changed
	 */
	long walk(BatchHandler<K> work) {
		@Nullable K after = (this.progress.checkpoint() != null) ? this.keyType.fromCheckpoint(this.progress.checkpoint()) : null;
		begin(after);
		long number = this.progress.batchesDone();
		long changed = 0;
		try {
			while (!this.progress.stopRequested() && this.throttle.awaitTurn()) {
				this.attempted = null;
				Committed<K> batch = attempt(after, number + 1, work);
				if (batch == null) {
					return changed;
				}
				number++;
				changed += batch.changed();
				after = batch.last();
				this.progress.committed(number, batch.size(), batch.records(), batch.changed(), batch.took());
				pause();
			}
			return changed;
		}
		finally {
			this.progress.ended();
		}
	}

	private void begin(@Nullable K after) {
		Long recorded = this.progress.recordedTotal();
		long total = (recorded != null) ? recorded : this.progress.recordsProcessed() + this.queries.count(this.jdbc, after);
		this.progress.begin(total, recorded == null,
				(this.fixedSize != null) ? (total + this.fixedSize - 1) / this.fixedSize : null);
	}

	/**
	 * Run a batch, trying it again while it fails with a transient error and its attempts last.
	 * @return the committed batch, or {@code null} when no key is left or a stop came during a backoff
	 */
	private @Nullable Committed<K> attempt(@Nullable K after, long number, BatchHandler<K> work) {
		this.attempting = number;
		try {
			return this.retries.execute(() -> {
				try {
					return runBatch(after, number, this.sizer.size(), work);
				}
				catch (RuntimeException | Error ex) {
					// a rollback that failed on a lost connection hides the error that lost it
					this.lastError = (ex instanceof TransactionSystemException rollback
							&& rollback.getApplicationException() != null) ? rollback.getApplicationException() : ex;
					if (this.database.isStatementTimeout(ex)) {
						this.sizer.timedOut();
					}
					throw ex;
				}
			});
		}
		catch (RetryException ex) {
			Throwable last = ex.getCause();
			if (this.database.isTransient(last)) {
				if (this.progress.stopRequested()) {
					return null;
				}
				throw new BatchFailedException(describe(number, after) + " failed " + (ex.getRetryCount() + 1)
						+ " times with a transient error, the last: " + last, last);
			}
			if (last instanceof RuntimeException unchecked) {
				throw unchecked;
			}
			if (last instanceof Error error) {
				throw error;
			}
			throw new BatchFailedException(describe(number, after) + " failed: " + last, last);
		}
	}

	private String describe(long number, @Nullable K after) {
		BatchQueries.Range<K> range = this.attempted;
		return "Batch " + number + ((range != null) ? " (keys " + range.first() + " to " + range.last() + ")"
				: " (keys after " + after + ")");
	}

	private @Nullable Committed<K> runBatch(@Nullable K after, long number, int size, BatchHandler<K> work) {
		long started = System.nanoTime();
		Committed<K> committed = this.transactions.execute((status) -> {
			limitTransaction();
			BatchQueries.Range<K> range = this.queries.range(this.jdbc, after, size);
			if (range == null) {
				return null;
			}
			this.attempted = range;
			KeyBatch<K> batch = new KeyBatch<>(range, number, () -> this.queries.keys(this.jdbc, after, range.last()));
			long changed = (range.records() > 0) ? handle(work, batch) : 0;
			this.progress.record(String.valueOf(range.last()), batch.size(), size);
			return new Committed<>(range.last(), size, batch.size(), changed, null);
		});
		if (committed == null) {
			return null;
		}
		long took = System.nanoTime() - started;
		this.sizer.committed(took);
		this.throttle.batchTook(took);
		return committed.took(Duration.ofNanos(took));
	}

	private static <K> long handle(BatchHandler<K> work, Batch<K> batch) {
		try {
			return work.handle(batch);
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new BatchFailedException("The handler of " + batch + " threw " + ex, ex);
		}
	}

	/**
	 * Limit the current batch transaction's lock waits and statement time, and where the database keeps
	 * them in the session, give the session its own back before the transaction ends.
	 */
	private void limitTransaction() {
		String limit = this.database.limitTransaction(this.settings.lockTimeout(), this.settings.statementTimeout(),
				!this.settings.synchronousCommit());
		if (limit == null) {
			return;
		}
		this.jdbc.execute(limit);
		String restore = this.database.restoreSession();
		if (restore != null) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void beforeCompletion() {
					try {
						BatchWalk.this.jdbc.execute(restore);
					}
					catch (RuntimeException ex) {
						// a broken connection is not given back to the pool's other users
					}
				}
			});
		}
	}

	private void pause() {
		if (this.pauseMillis > 0) {
			try {
				Thread.sleep(this.pauseMillis);
			}
			catch (InterruptedException ex) {
				// asked to stop: the next stop check ends the walk after this committed batch
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * A committed batch.
	 *
	 * @param last its last key
	 * @param size the size it was read with
	 * @param records records it processed
	 * @param changed rows it changed
	 * @param took how long its transaction took, once committed
	 */
	private record Committed<K>(K last, int size, long records, long changed, Duration took) {

		Committed<K> took(Duration took) {
			return new Committed<>(this.last, this.size, this.records, this.changed, took);
		}

	}

}
