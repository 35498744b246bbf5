package dev.datamigrate.batch;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.datamigrate.Batches.BatchHandler;
import dev.datamigrate.history.RangeTable;
import dev.datamigrate.history.RangeTable.KeyRange;

/**
 * One worker of a parallel walk: it claims a range, walks it batch by batch under its lease, and claims
 * the next, until none is free.
 *
 * @param <K> the key type
 */
final class RangeWorker<K> {

	/** How often the workers of the instance that runs the migration look for ranges to take over. */
	static final Duration POLL = Duration.ofSeconds(1);

	private final KeysetBatches.Engine engine;

	private final ParallelWalks parts;

	private final BatchQueries<K> queries;

	private final KeyType<K> keyType;

	private final Walker<K> walks;

	/** A worker's batches keep their size from one range to the next, as a plain walk's do. */
	private final BatchSizer sizer;

	/** Set when one worker of the instance sees the walk stop, or the walk ends. */
	private final AtomicBoolean stop;

	private final String token = UUID.randomUUID().toString();

	RangeWorker(KeysetBatches.Engine engine, BatchQueries<K> queries, KeyType<K> keyType, Walker<K> walks,
			BatchSizer sizer, AtomicBoolean stop) {
		this.engine = engine;
		this.parts = engine.parallel();
		this.queries = queries;
		this.keyType = keyType;
		this.walks = walks;
		this.sizer = sizer;
		this.stop = stop;
	}

	/**
	 * One worker: claim a range, walk it, and claim the next, until none is free; the splitting instance's
	 * workers wait for ranges whose workers died, until every range is done.
	 * @return the rows it changed
	 */
	long work(BatchHandler<K> work, boolean untilDone) {
		String version = this.engine.progress().version();
		RangeTable table = this.parts.ranges();
		long changed = 0;
		while (!stopRequested()) {
			Optional<KeyRange> claimed = table.claim(version, this.token, this.parts.executedBy(),
					this.parts.leaseDuration());
			if (claimed.isPresent()) {
				changed += walkRange(claimed.get(), work);
			}
			else if (!untilDone || allEnded(table.find(version)) || !pause(POLL)) {
				break;
			}
		}
		return changed;
	}

	private boolean stopRequested() {
		if (this.stop.get()) {
			return true;
		}
		BatchProgress walk = this.engine.progress();
		synchronized (walk) {
			return walk.stopRequested();
		}
	}

	private long walkRange(KeyRange range, BatchHandler<K> work) {
		RangeTable table = this.parts.ranges();
		Duration lease = this.parts.leaseDuration();
		RangeProgress progress = new RangeProgress(this.engine.progress(), table, range, this.token, lease,
				this::stopRequested);
		ScheduledFuture<?> renewal = this.parts.leases().scheduleAtFixedRate(() -> renew(range, lease),
				lease.dividedBy(3));
		try {
			BatchQueries<K> rangeQueries = this.queries.upTo(this.keyType.fromCheckpoint(range.last()));
			long changed = this.walks.walk(this.engine.with(progress), rangeQueries, this.sizer).walk(work);
			table.release(range, this.token, !progress.stopped());
			return changed;
		}
		catch (RangeProgress.RangeLostException ex) {
			return 0;
		}
		catch (WalkStoppedException ex) {
			this.stop.set(true);
			table.release(range, this.token, false);
			return 0;
		}
		catch (RuntimeException ex) {
			table.fail(range, this.token, String.valueOf(ex));
			throw rangeFailed(range, this.parts.executedBy(), String.valueOf(ex), ex);
		}
		catch (Error ex) {
			table.fail(range, this.token, String.valueOf(ex));
			throw ex;
		}
		finally {
			renewal.cancel(false);
		}
	}

	private void renew(KeyRange range, Duration lease) {
		try {
			this.parts.ranges().renew(range, this.token, lease);
		}
		catch (RuntimeException ex) {
			// the database is away for a moment: a scheduled task that throws is never run again
		}
	}

	static BatchFailedException rangeFailed(KeyRange range, String executedBy, String error,
			RuntimeException cause) {
		return new BatchFailedException("Range " + range.number() + " (keys after " + range.after() + " up to "
				+ range.last() + ") failed on " + executedBy + ": " + error, cause);
	}

	private static boolean allEnded(List<KeyRange> ranges) {
		return ranges.stream().allMatch((range) -> "DONE".equals(range.status()) || "FAILED".equals(range.status()));
	}

	private static boolean pause(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Makes the walk of one range.
	 *
	 * @param <K> the key type
	 */
	@FunctionalInterface
	interface Walker<K> {

		BatchWalk<K> walk(KeysetBatches.Engine engine, BatchQueries<K> queries, BatchSizer sizer);

	}

}
