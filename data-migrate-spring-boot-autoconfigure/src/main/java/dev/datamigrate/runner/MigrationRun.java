package dev.datamigrate.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.datamigrate.Batch;
import dev.datamigrate.Batches;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationListener;
import dev.datamigrate.batch.BatchProgress;
import dev.datamigrate.batch.KeysetBatches;
import dev.datamigrate.history.BatchCommit;
import dev.datamigrate.history.BatchLoop;
import dev.datamigrate.history.BoundStatement;
import dev.datamigrate.history.HistoryRecord;
import dev.datamigrate.history.LoopedBatch;
import dev.datamigrate.history.MigrationHistory;

import org.springframework.jdbc.core.JdbcTemplate;
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

	private final JdbcTemplate jdbc;

	private final TransactionTemplate newTransaction;

	private final RunnerSettings settings;

	private final BooleanSupplier shutdownRequested;

	private final BooleanSupplier lockHeld;

	private final DataMigrationListener listener;

	private final String ownerToken;

	private final HistoryRecord claimed;

	private final Instant startedAt;

	private String checkpoint;

	private String walked;

	private String ownTransactionCheckpoint;

	private Long totalBatches;

	private boolean startLogged;

	private boolean stopSeen;

	private long recordsUpdated;

	private long nextStopPoll;

	private boolean pausedOrTakenOver;

	MigrationRun(MigrationDefinition definition, MigrationHistory history, JdbcTemplate jdbc,
			TransactionTemplate newTransaction, RunnerSettings settings, BooleanSupplier shutdownRequested,
			BooleanSupplier lockHeld, DataMigrationListener listener, String ownerToken, HistoryRecord claimed) {
		this.definition = definition;
		this.history = history;
		this.jdbc = jdbc;
		this.newTransaction = newTransaction;
		this.settings = settings;
		this.shutdownRequested = shutdownRequested;
		this.lockHeld = lockHeld;
		this.listener = listener;
		this.ownerToken = ownerToken;
		this.claimed = claimed;
		this.startedAt = claimed.startedAt();
		this.checkpoint = claimed.checkpoint();
		this.nextStopPoll = System.nanoTime() + STOP_POLL_NANOS;
	}

	String name() {
		return this.definition.description();
	}

	Instant startedAt() {
		return this.startedAt;
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
		if (this.startLogged) {
			return;
		}
		this.startLogged = true;
		MigrationEvents.info("data_migration_start", "migration", name(), "version", version(), "total_records",
				totalRecords, "total_batches", totalBatches);
		if (this.claimed.checkpoint() != null) {
			MigrationEvents.info("data_migration_resumed", "migration", name(), "version", version(), "checkpoint",
					this.claimed.checkpoint());
		}
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
		return KeysetBatches.over(this.jdbc, this.newTransaction, this, table, new KeysetBatches.Defaults(
				this.settings.batchSize(), this.settings.batchPause(), this.settings.batchReadAhead()));
	}

	@Override
	public String checkpoint() {
		return this.checkpoint;
	}

	@Override
	public void checkpoint(String checkpoint) {
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

	@Override
	public void progress(long processed, long total) {
		logStart((total >= 0) ? total : null, null);
		Boolean owned = this.newTransaction.execute((status) -> this.history.recordProgress(version(),
				this.ownerToken, processed, (total >= 0) ? total : null));
		if (!Boolean.TRUE.equals(owned)) {
			throw ownershipLost();
		}
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
	public boolean countsInSnapshot() {
		return this.history.dialect().snapshotsAtFirstStatement();
	}

	@Override
	public boolean recordTotal(long totalRecords) {
		// in a transaction of its own, like each batch's record: joining a transactional migration's
		// transaction would hold the row lock that the batches' own transactions then wait for
		return Boolean.TRUE.equals(this.newTransaction
			.execute((status) -> this.history.recordTotal(version(), this.ownerToken, totalRecords)));
	}

	@Override
	public void begin(Long totalRecords, Long totalBatches) {
		this.totalBatches = totalBatches;
		logStart(totalRecords, totalBatches);
	}

	@Override
	public long record(Batch<?> batch, String checkpoint, BoundStatement work) {
		return this.history.recordBatch(version(), this.ownerToken, checkpoint, batch.size(),
				!this.settings.batchSynchronousCommit(), work).orElseThrow(this::ownershipLost);
	}

	@Override
	public boolean commitsAlone() {
		return this.history.commitsBatchesAlone();
	}

	@Override
	public BatchCommit commitAlone(Batch<?> batch, String checkpoint, BoundStatement work, BoundStatement read) {
		return this.history.commitBatch(version(), this.ownerToken, checkpoint, batch.size(),
				!this.settings.batchSynchronousCommit(), work, read).orElseThrow(this::ownershipLost);
	}

	@Override
	public boolean loopsInDatabase() {
		return this.settings.batchInDatabase() && this.history.loopsBatches();
	}

	@Override
	public boolean commitLoop(BatchLoop loop, Consumer<LoopedBatch> committed) {
		return this.history.commitLoop(version(), this.ownerToken, !this.settings.batchSynchronousCommit(), loop,
				committed).orElseThrow(this::ownershipLost);
	}

	@Override
	public void committed(long number, int size, String checkpoint, long changed, Instant committedAt) {
		this.checkpoint = checkpoint;
		this.ownTransactionCheckpoint = null;
		this.recordsUpdated += changed;
		this.listener.batchCommitted(version(), size, committedAt);
		MigrationEvents.info("data_migration_batch", "migration", name(), "records_updated", changed, "batch_size",
				size, "batch_processed", number, "total_batches", this.totalBatches);
	}

	private OwnershipLostException ownershipLost() {
		this.pausedOrTakenOver = true;
		return new OwnershipLostException(version());
	}

}
