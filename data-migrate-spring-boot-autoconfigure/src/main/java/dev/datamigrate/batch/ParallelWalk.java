package dev.datamigrate.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

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

	/** How often the splitting instance records the walk's progress. */
	private static final Duration POLL = RangeWorker.POLL;

	private final KeysetBatches.Engine engine;

	private final ParallelWalks parts;

	private final KeySplit<K> split;

	private final BatchQueries<K> queries;

	private final KeyType<K> keyType;

	private final RangeWorker.Walker<K> walks;

	private final Supplier<BatchSizer> sizers;

	private final int workers;

	private final AtomicBoolean stop = new AtomicBoolean();

	ParallelWalk(KeysetBatches.Engine engine, KeySplit<K> split, BatchQueries<K> queries, KeyType<K> keyType,
			RangeWorker.Walker<K> walks, Supplier<BatchSizer> sizers, int workers) {
		this.engine = engine;
		this.parts = engine.parallel();
		this.split = split;
		this.queries = queries;
		this.keyType = keyType;
		this.walks = walks;
		this.sizers = sizers;
		this.workers = workers;
	}

	/**
	 * Walk: split the keys and see every range done, or, on a joining instance, work free ranges.
	 * @return the rows changed by this instance's workers
	 */
	long walk(BatchHandler<K> work) {
		String version = this.engine.progress().version();
		if (!this.parts.enter(version, this.engine.joining())) {
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
			this.parts.leave(version);
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
		// made by the first parallel walk, under the lock its run holds
		table.createIfAbsent();
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
					throw RangeWorker.rangeFailed(failed.get(), failed.get().executedBy(), failed.get().error(), null);
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
					ranges.stream().mapToLong(KeyRange::batchesDone).sum(),
					ranges.stream().filter((range) -> "DONE".equals(range.status())).count() + " of " + ranges.size()
							+ " ranges done");
		}
		return ranges.stream().filter((range) -> "FAILED".equals(range.status())).findFirst();
	}

	private List<CompletableFuture<Long>> start(BatchHandler<K> work, boolean untilDone) {
		List<CompletableFuture<Long>> running = new ArrayList<>();
		for (int i = 0; i < this.workers; i++) {
			RangeWorker<K> worker = new RangeWorker<>(this.engine, this.queries, this.keyType, this.walks,
					this.sizers.get(), this.stop);
			running.add(CompletableFuture.supplyAsync(() -> worker.work(work, untilDone), this.parts.threads()));
		}
		return running;
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
