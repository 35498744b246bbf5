package dev.datamigrate.runner;

import java.time.Duration;

import dev.datamigrate.Batches;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.batch.BatchProgress;
import dev.datamigrate.batch.KeysetBatches;
import dev.datamigrate.history.HistoryRecord;
import org.jspecify.annotations.Nullable;

/**
 * This instance's share of a parallel walk that another instance runs: the context its task sees, whose
 * walk only works the ranges that are free. It owns neither the history row nor the migration's end.
 */
final class JoinRun implements DataMigrationContext, BatchProgress {

	private static final long STOP_POLL_NANOS = Duration.ofSeconds(1).toNanos();

	private final MigrationDefinition definition;

	private final HistoryRecord record;

	private final RunContext context;

	private final KeysetBatches.Engine engine;

	private final BatchLog batchLog;

	private long nextStopPoll;

	private boolean stopSeen;

	private @Nullable String throttledBy;

	JoinRun(MigrationDefinition definition, HistoryRecord record, RunContext context) {
		this.definition = definition;
		this.record = record;
		this.context = context;
		this.engine = new KeysetBatches.Engine(context.jdbc(), context.newTransaction(), context.database(), this,
				context.settings().batch(), context.throttles(), context.parallel(), true);
		this.batchLog = new BatchLog(definition.description(), record.version(), context.settings().batchLogInterval());
	}

	@Override
	public String version() {
		return this.record.version();
	}

	@Override
	public String description() {
		return this.definition.description();
	}

	@Override
	public Batches<Long> batches(String table) {
		return KeysetBatches.over(this.engine, table);
	}

	@Override
	public @Nullable String checkpoint() {
		return null;
	}

	@Override
	public void checkpoint(String checkpoint) {
		throw notInParallelWalk("checkpoint(String)");
	}

	@Override
	public void progress(long processed, long total) {
		throw notInParallelWalk("progress(long, long)");
	}

	private IllegalStateException notInParallelWalk(String method) {
		return new IllegalStateException("Data migration " + version() + " walks in parallel, whose ranges keep "
				+ "checkpoints and progress of their own: " + method + " belongs to a custom loop, so call it in a "
				+ "migration without parallel()");
	}

	/**
	 * Whether this instance's workers should stop: the application shuts down, or, checked at most once a
	 * second, the migration no longer runs.
	 */
	@Override
	public boolean stopRequested() {
		if (!this.stopSeen && System.nanoTime() - this.nextStopPoll >= 0) {
			this.nextStopPoll = System.nanoTime() + STOP_POLL_NANOS;
			this.stopSeen = !this.context.parallel().ranges().isRunning(version());
		}
		return this.stopSeen || this.context.shutdownRequested().getAsBoolean()
				|| Thread.currentThread().isInterrupted();
	}

	@Override
	public long batchesDone() {
		return 0;
	}

	@Override
	public Long recordedTotal() {
		return this.record.recordsTotal();
	}

	@Override
	public long recordsProcessed() {
		return 0;
	}

	@Override
	public void begin(long totalRecords, boolean counted, @Nullable Long totalBatches) {
	}

	@Override
	public void record(String checkpoint, long records, int size) {
	}

	@Override
	public void committed(long number, int size, long records, long changed, Duration took) {
		this.context.listener().batchCommitted(version(), (int) records, size, took);
		this.batchLog.committed(number, size, changed);
	}

	@Override
	public void retrying(long number, int attempt, Throwable error, Duration backoff) {
		this.context.listener().batchRetried(version());
		this.batchLog.retrying(number, attempt, error, backoff);
	}

	@Override
	public void throttled(String reason, Duration backoff) {
		this.throttledBy = reason;
		this.context.listener().migrationThrottled(version(), reason);
		this.batchLog.throttled(reason, backoff);
	}

	@Override
	public void unthrottled(Duration held) {
		this.context.listener().migrationUnthrottled(version(), held);
		this.batchLog.unthrottled(this.throttledBy, held);
	}

	@Override
	public void processed(long records, long batches, String checkpoint) {
	}

	@Override
	public void ended() {
		this.batchLog.flush();
	}

}
