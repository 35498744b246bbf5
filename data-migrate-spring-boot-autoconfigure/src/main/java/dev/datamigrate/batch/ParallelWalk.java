package dev.datamigrate.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import dev.datamigrate.Batches.BatchHandler;
import dev.datamigrate.history.RangeTable;
import dev.datamigrate.history.RangeTable.KeyRange;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A walk whose key space is split into ranges that workers of every instance claim and walk at once.
 * The instance that runs the migration splits the keys, records the progress of all ranges in the
 * history and ends the walk once every range is done; a joining instance only works ranges while some
 * are free.
 *
 * @param <K> the key type
 */
final class ParallelWalk<K> {

	/** Ranges per worker of the splitting instance, and at least this many for the workers of others. */
	private static final int RANGES_PER_WORKER = 4;

	private static final int MIN_RANGES = 16;

	/** How often the splitting instance records the walk's progress and looks for ranges to take over. */
	private static final Duration POLL = Duration.ofSeconds(1);

	/** How often the instance that runs the migration looks whether its own joining workers have stopped. */
	private static final Duration HAND_BACK_POLL = Duration.ofMillis(50);

	private final KeysetBatches.Engine engine;

	private final ParallelWalks parts;

	private final KeySplit<K> split;

	private final BatchQueries<K> queries;

	private final KeyType<K> keyType;

	private final BiFunction<KeysetBatches.Engine, BatchQueries<K>, BatchWalk<K>> walks;

	private final int workers;

	private final AtomicBoolean stop = new AtomicBoolean();

	ParallelWalk(KeysetBatches.Engine engine, KeySplit<K> split, BatchQueries<K> queries, KeyType<K> keyType,
			BiFunction<KeysetBatches.Engine, BatchQueries<K>, BatchWalk<K>> walks, int workers) {
		this.engine = engine;
		this.parts = engine.parallel();
		this.split = split;
		this.queries = queries;
		this.keyType = keyType;
		this.walks = walks;
		this.workers = workers;
	}

	/**
	 * Walk: split the keys and see every range done, or, on a joining instance, work free ranges.
	 * @return the rows changed by this instance's workers
	 */
	long walk(BatchHandler<K> work) {
		String version = this.engine.progress().version();
		if (!walking(version)) {
			return 0;
		}
		// outside a transactional migration's transaction, whose snapshot and row locks the workers must not see
		TransactionTemplate outside = new TransactionTemplate(this.engine.transactions().getTransactionManager());
		outside.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
		try {
			Long changed = outside.execute((status) -> this.engine.joining() ? join(work) : lead(work));
			return (changed != null) ? changed : 0;
		}
		finally {
			this.parts.walking().remove(version, this.stop);
		}
	}

	/**
	 * Record that this instance walks a migration's ranges. A joining walk gives way to one this instance
	 * already has; the instance that runs the migration stops this instance's joining walk of it and waits
	 * until its workers have handed their ranges back: it has taken the queue over from an instance that
	 * died, and must see every range done, not leave the walk to the join.
	 * @return whether to walk
	 */
	private boolean walking(String version) {
		while (true) {
			AtomicBoolean other = this.parts.walking().putIfAbsent(version, this.stop);
			if (other == null) {
				return true;
			}
			if (this.engine.joining()) {
				return false;
			}
			other.set(true);
			if (!pause(HAND_BACK_POLL)) {
				throw new WalkStoppedException(version);
			}
		}
	}

	private long join(BatchHandler<K> work) {
		List<CompletableFuture<Long>> running = start(work, false);
		try {
			return awaitAll(running);
		}
		finally {
			this.engine.progress().ended();
		}
	}

	private long lead(BatchHandler<K> work) {
		BatchProgress progress = this.engine.progress();
		RangeTable table = this.parts.ranges();
		String version = progress.version();
		if (table.find(version).isEmpty()) {
			List<String[]> bounds = this.split.split(this.engine.jdbc(), Math.max(MIN_RANGES, RANGES_PER_WORKER * this.workers))
				.stream()
				.map((range) -> new String[] { (range.after() != null) ? String.valueOf(range.after()) : null,
						String.valueOf(range.last()) })
				.toList();
			table.insert(version, bounds);
		}
		else {
			table.retryFailed(version);
		}
		Long recorded = progress.recordedTotal();
		progress.begin((recorded != null) ? recorded : this.queries.count(this.engine.jdbc(), null), recorded == null, null);
		report(table.find(version));
		List<CompletableFuture<Long>> running = start(work, true);
		try {
			while (!CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).isDone()) {
				Optional<KeyRange> failed = report(table.find(version));
				if (failed.isPresent()) {
					this.stop.set(true);
					awaitAll(running);
					throw rangeFailed(failed.get(), failed.get().executedBy(), failed.get().error(), null);
				}
				awaitAny(running);
			}
			long changed = awaitAll(running);
			List<KeyRange> ranges = table.find(version);
			report(ranges);
			if (!ranges.stream().allMatch((range) -> "DONE".equals(range.status()))) {
				throw new WalkStoppedException(version);
			}
			return changed;
		}
		finally {
			this.stop.set(true);
			awaitQuietly(running);
			progress.ended();
		}
	}

	/**
	 * Record the progress of every range in the history.
	 * @return a range that failed, if one did
	 */
	private Optional<KeyRange> report(List<KeyRange> ranges) {
		BatchProgress walk = this.engine.progress();
		synchronized (walk) {
			walk.processed(ranges.stream().mapToLong(KeyRange::recordsProcessed).sum(),
					ranges.stream().mapToLong(KeyRange::batchesDone).sum());
		}
		return ranges.stream().filter((range) -> "FAILED".equals(range.status())).findFirst();
	}

	private List<CompletableFuture<Long>> start(BatchHandler<K> work, boolean untilDone) {
		List<CompletableFuture<Long>> running = new ArrayList<>();
		for (int i = 0; i < this.workers; i++) {
			running.add(CompletableFuture.supplyAsync(() -> work(work, untilDone), this.parts.threads()));
		}
		return running;
	}

	/**
	 * One worker: claim a range, walk it, and claim the next, until none is free; the splitting instance's
	 * workers wait for ranges whose workers died, until every range is done.
	 * @return the rows it changed
	 */
	private long work(BatchHandler<K> work, boolean untilDone) {
		String version = this.engine.progress().version();
		String token = UUID.randomUUID().toString();
		RangeTable table = this.parts.ranges();
		long changed = 0;
		while (!stopRequested()) {
			Optional<KeyRange> claimed = table.claim(version, token, this.parts.executedBy(),
					this.parts.leaseDuration());
			if (claimed.isPresent()) {
				changed += walkRange(claimed.get(), token, work);
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

	private long walkRange(KeyRange range, String token, BatchHandler<K> work) {
		RangeTable table = this.parts.ranges();
		Duration lease = this.parts.leaseDuration();
		RangeProgress progress = new RangeProgress(this.engine.progress(), table, range, token, lease,
				this::stopRequested);
		ScheduledFuture<?> renewal = this.parts.leases().scheduleAtFixedRate(() -> table.renew(range, token, lease),
				lease.dividedBy(3));
		try {
			long changed = this.walks.apply(this.engine.with(progress), this.queries.upTo(this.keyType.fromCheckpoint(range.last())))
				.walk(work);
			table.release(range, token, !progress.stopped());
			return changed;
		}
		catch (RangeProgress.RangeLostException ex) {
			return 0;
		}
		catch (WalkStoppedException ex) {
			this.stop.set(true);
			table.release(range, token, false);
			return 0;
		}
		catch (RuntimeException ex) {
			table.fail(range, token, String.valueOf(ex));
			throw rangeFailed(range, this.parts.executedBy(), String.valueOf(ex), ex);
		}
		catch (Error ex) {
			table.fail(range, token, String.valueOf(ex));
			throw ex;
		}
		finally {
			renewal.cancel(false);
		}
	}

	private static BatchFailedException rangeFailed(KeyRange range, String executedBy, String error,
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

	private static void awaitAny(List<CompletableFuture<Long>> running) {
		try {
			CompletableFuture.anyOf(running.stream().filter((future) -> !future.isDone()).toArray(CompletableFuture[]::new))
				.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			// the progress is reported, and a failed worker's error thrown, by the caller's loop
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Wait for every worker.
	 * @return the rows they changed
	 * @throws RuntimeException the first error a worker ended with
	 */
	private long awaitAll(List<CompletableFuture<Long>> running) {
		long changed = 0;
		RuntimeException first = null;
		for (CompletableFuture<Long> worker : running) {
			try {
				changed += worker.join();
			}
			catch (RuntimeException ex) {
				this.stop.set(true);
				first = (first != null) ? first : unwrapped(ex);
			}
		}
		if (first != null) {
			throw first;
		}
		return changed;
	}

	private static void awaitQuietly(List<CompletableFuture<Long>> running) {
		running.forEach((worker) -> worker.handle((changed, error) -> changed).join());
	}

	private static RuntimeException unwrapped(RuntimeException ex) {
		return (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
	}

}
