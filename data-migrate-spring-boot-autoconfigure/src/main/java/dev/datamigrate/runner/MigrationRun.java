package dev.datamigrate.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import dev.datamigrate.Batches;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationListener;
import dev.datamigrate.batch.BatchProgress;
import dev.datamigrate.batch.KeysetBatches;
import dev.datamigrate.history.HistoryRecord;
import dev.datamigrate.history.MigrationHistory;

import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One run of one migration: the context its task sees, and the owner of its history row for as long
 * as the run lasts.
 */
class MigrationRun implements DataMigrationContext, BatchProgress {

	/**
	 * Name of the transaction a transactional migration runs in.
	 */
	static final String OWN_TRANSACTION = "data-migration";

	private static final long STOP_POLL_NANOS = Duration.ofSeconds(1).toNanos();

	private final MigrationDefinition definition;

	private final MigrationHistory history;

	private final KeysetBatches.Engine engine;

	private final TransactionTemplate newTransaction;

	private final BooleanSupplier shutdownRequested;

	private final BooleanSupplier lockHeld;

	private final DataMigrationListener listener;

	private final String ownerToken;

	private final HistoryRecord claimed;

	private final BatchLog batchLog;

	private final RowRate rate = new RowRate();

	private String checkpoint;

	private String batchCheckpoint;

	private String walked;

	private String ownTransactionCheckpoint;

	private boolean stopSeen;

	private long recordsUpdated;

	private long nextStopPoll;

	private boolean pausedOrTakenOver;

	private String throttledBy;

	private boolean parallel;

	MigrationRun(MigrationDefinition definition, RunContext context, BooleanSupplier lockHeld, String ownerToken,
			HistoryRecord claimed) {
		this.definition = definition;
		this.history = context.history();
		this.newTransaction = context.newTransaction();
		this.engine = new KeysetBatches.Engine(context.jdbc(), this.newTransaction, context.database(), this,
				context.settings().batch(), context.throttles(), context.parallel(), false);
		this.shutdownRequested = context.shutdownRequested();
		this.lockHeld = lockHeld;
		this.listener = context.listener();
		this.ownerToken = ownerToken;
		this.claimed = claimed;
		this.batchLog = new BatchLog(definition.description(), claimed.version(),
				context.settings().batchLogInterval());
		this.checkpoint = claimed.checkpoint();
		this.nextStopPoll = System.nanoTime() + STOP_POLL_NANOS;
	}

	String name() {
		return this.definition.description();
	}

	Instant startedAt() {
		return this.claimed.startedAt();
	}

	String ownerToken() {
		return this.ownerToken;
	}

	long recordsUpdated() {
		return this.recordsUpdated;
	}

	/**
	 * Whether the task was told to stop, so it may have returned before its work was done.
	 */
	boolean wasStopped() {
		return this.stopSeen;
	}

	/**
	 * Log the start of the run once, when the task first reports to the runner or ends, so that a
	 * batch run's start carries the total it counted.
	 */
	void logStart(Long totalRecords, Long totalBatches) {
		this.batchLog.started(totalRecords, totalBatches, this.claimed.checkpoint());
	}

	@Override
	public String version() {
		return this.claimed.version();
	}

	@Override
	public String description() {
		return this.definition.description();
	}

	@Override
	public Batches<Long> batches(String table) {
		if (this.walked != null) {
			throw new IllegalStateException("Data migration " + version() + " already walks " + this.walked
					+ " in batches; one walk per migration keeps one checkpoint, so walk " + table
					+ " in a migration of its own");
		}
		this.walked = table;
		return KeysetBatches.over(this.engine, table);
	}

	@Override
	public String checkpoint() {
		return this.checkpoint;
	}

	@Override
	public void checkpoint(String checkpoint) {
		refuseInParallelWalk("checkpoint(String)");
		logStart(this.claimed.recordsTotal(), null);
		if (inOwnTransaction()) {
			// written with the success record: an all-or-nothing migration's checkpoint matters only if
			// it commits, and writing it now would lock the row that progress and batches update
			this.checkpoint = checkpoint;
			this.ownTransactionCheckpoint = checkpoint;
			return;
		}
		if (!this.history.recordCheckpoint(version(), this.ownerToken, checkpoint)) {
			throw ownershipLost();
		}
		this.checkpoint = checkpoint;
	}

	/**
	 * A checkpoint recorded in the migration's own transaction, to be written with its success.
	 */
	String ownTransactionCheckpoint() {
		return this.ownTransactionCheckpoint;
	}

	private static boolean inOwnTransaction() {
		return TransactionSynchronizationManager.isActualTransactionActive()
				&& OWN_TRANSACTION.equals(TransactionSynchronizationManager.getCurrentTransactionName());
	}

	/**
	 * A custom loop's checkpoint and progress would overwrite those a parallel walk records for all ranges.
	 */
	private void refuseInParallelWalk(String method) {
		if (this.parallel) {
			throw new IllegalStateException("Data migration " + version() + " walks " + this.walked
					+ " in parallel, whose ranges keep checkpoints and progress of their own: " + method
					+ " belongs to a custom loop, so call it in a migration without parallel()");
		}
	}

	@Override
	public void progress(long processed, long total) {
		refuseInParallelWalk("progress(long, long)");
		logStart((total >= 0) ? total : null, null);
		long processedNow = processed - this.claimed.recordsProcessed();
		double rowsPerSecond = this.rate.at(processedNow);
		Boolean owned = this.newTransaction.execute((status) -> this.history.recordProgress(version(),
				this.ownerToken, processed, (total >= 0) ? total : null, rowsPerSecond));
		if (!Boolean.TRUE.equals(owned)) {
			throw ownershipLost();
		}
		this.rate.sample(processedNow);
	}

	/**
	 * Whether the run should stop: the application shuts down, or, checked at most once a second, the
	 * lock was lost or the migration was paused or taken over.
	 */
	@Override
	public boolean stopRequested() {
		if (!this.pausedOrTakenOver && !shuttingDown()) {
			long now = System.nanoTime();
			if (now - this.nextStopPoll >= 0) {
				this.nextStopPoll = now + STOP_POLL_NANOS;
				this.pausedOrTakenOver = !this.lockHeld.getAsBoolean()
						|| !this.history.isOwnedBy(version(), this.ownerToken);
			}
		}
		this.stopSeen |= this.pausedOrTakenOver || shuttingDown();
		return this.stopSeen;
	}

	private boolean shuttingDown() {
		return this.shutdownRequested.getAsBoolean() || Thread.currentThread().isInterrupted();
	}

	@Override
	public long batchesDone() {
		return this.claimed.batchesDone();
	}

	@Override
	public Long recordedTotal() {
		return this.claimed.recordsTotal();
	}

	@Override
	public long recordsProcessed() {
		return this.claimed.recordsProcessed();
	}

	@Override
	public void begin(long totalRecords, boolean counted, Long totalBatches) {
		// in a transaction of its own, like each batch's record: joining a transactional migration's
		// transaction would hold the row lock that the batches' own transactions then wait for
		if (counted && !Boolean.TRUE.equals(this.newTransaction
			.execute((status) -> this.history.recordTotal(version(), this.ownerToken, totalRecords)))) {
			throw ownershipLost();
		}
		this.batchLog.totalBatches(totalBatches);
		logStart(totalRecords, totalBatches);
	}

	@Override
	public void record(String checkpoint, long records, int size) {
		double rowsPerSecond = this.rate.at(this.rate.records() + records);
		if (!this.history.recordBatch(version(), this.ownerToken, checkpoint, records, size, rowsPerSecond)) {
			throw ownershipLost();
		}
		this.batchCheckpoint = checkpoint;
	}

	@Override
	public void committed(long number, int size, long records, long changed, Duration took) {
		this.checkpoint = this.batchCheckpoint;
		this.ownTransactionCheckpoint = null;
		this.recordsUpdated += changed;
		if (!this.parallel) {
			this.rate.sample(this.rate.records() + records);
		}
		this.listener.batchCommitted(version(), (int) records, size, took);
		this.batchLog.committed(number, size, changed);
	}

	@Override
	public void retrying(long number, int attempt, Throwable error, Duration backoff) {
		this.listener.batchRetried(version());
		this.batchLog.retrying(number, attempt, error, backoff);
	}

	@Override
	public void throttled(String reason, Duration backoff) {
		this.throttledBy = reason;
		recordThrottle(reason);
		this.listener.migrationThrottled(version(), reason);
		this.batchLog.throttled(reason, backoff);
	}

	@Override
	public void unthrottled(Duration held) {
		recordThrottle(null);
		this.listener.migrationUnthrottled(version(), held);
		this.batchLog.unthrottled(this.throttledBy, held);
	}

	/**
	 * In a transaction of its own, as a batch's record, so that other instances see it at once.
	 */
	private void recordThrottle(String reason) {
		this.newTransaction.execute((status) -> this.history.recordThrottle(version(), this.ownerToken, reason));
	}

	@Override
	public void processed(long records, long batches, String checkpoint) {
		this.parallel = true;
		double rowsPerSecond = this.rate.at(records - this.claimed.recordsProcessed());
		if (!this.history.recordWalked(version(), this.ownerToken, records, batches, checkpoint, rowsPerSecond)) {
			throw ownershipLost();
		}
		this.rate.sample(records - this.claimed.recordsProcessed());
	}

	@Override
	public void ended() {
		this.batchLog.flush();
	}

	private OwnershipLostException ownershipLost() {
		this.pausedOrTakenOver = true;
		return new OwnershipLostException(version());
	}

}
