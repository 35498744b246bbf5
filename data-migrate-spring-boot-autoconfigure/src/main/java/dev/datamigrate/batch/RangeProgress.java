package dev.datamigrate.batch;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import dev.datamigrate.history.RangeTable;
import dev.datamigrate.history.RangeTable.KeyRange;
import org.jspecify.annotations.Nullable;

/**
 * The progress of one worker's walk over one range: its batches commit with the range's checkpoint,
 * only while the worker owns the range and the migration runs; what the whole walk reports goes to the
 * walk's own progress, one worker at a time.
 */
final class RangeProgress implements BatchProgress {

	private final BatchProgress walk;

	private final RangeTable table;

	private final KeyRange range;

	private final String ownerToken;

	private final Duration lease;

	private final BooleanSupplier stop;

	private boolean stopSeen;

	RangeProgress(BatchProgress walk, RangeTable table, KeyRange range, String ownerToken, Duration lease,
			BooleanSupplier stop) {
		this.walk = walk;
		this.table = table;
		this.range = range;
		this.ownerToken = ownerToken;
		this.lease = lease;
		this.stop = stop;
	}

	/**
	 * Whether the worker stopped before the range's end.
	 */
	boolean stopped() {
		return this.stopSeen;
	}

	@Override
	public String version() {
		return this.range.version();
	}

	@Override
	public @Nullable String checkpoint() {
		return this.range.resumeAfter();
	}

	@Override
	public long batchesDone() {
		return this.range.batchesDone();
	}

	@Override
	public Long recordedTotal() {
		// the walk counted its total before its workers started
		return this.range.recordsProcessed();
	}

	@Override
	public long recordsProcessed() {
		return this.range.recordsProcessed();
	}

	@Override
	public void begin(long totalRecords, boolean counted, @Nullable Long totalBatches) {
	}

	@Override
	public void record(String checkpoint, long records, int size) {
		if (!this.table.isRunning(version())) {
			this.stopSeen = true;
			throw new WalkStoppedException(version());
		}
		if (!this.table.recordBatch(this.range, this.ownerToken, checkpoint, records, this.lease)) {
			throw new RangeLostException(this.range);
		}
	}

	@Override
	public void committed(long number, int size, long records, long changed, Duration took) {
		synchronized (this.walk) {
			this.walk.committed(number, size, records, changed, took);
		}
	}

	@Override
	public void retrying(long number, int attempt, Throwable error, Duration backoff) {
		synchronized (this.walk) {
			this.walk.retrying(number, attempt, error, backoff);
		}
	}

	@Override
	public void throttled(String reason, Duration backoff) {
		synchronized (this.walk) {
			this.walk.throttled(reason, backoff);
		}
	}

	@Override
	public void unthrottled(Duration held) {
		synchronized (this.walk) {
			this.walk.unthrottled(held);
		}
	}

	@Override
	public void processed(long records, long batches, String checkpoint) {
	}

	@Override
	public void ended() {
	}

	@Override
	public boolean stopRequested() {
		this.stopSeen |= this.stop.getAsBoolean();
		return this.stopSeen;
	}

	/**
	 * Another worker took the range over, after this one's lease expired: the batch rolls back, and this
	 * worker claims another range.
	 */
	static final class RangeLostException extends RuntimeException {

		RangeLostException(KeyRange range) {
			super("Range " + range.number() + " of data migration " + range.version() + " was taken over");
		}

	}

}
