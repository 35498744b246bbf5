package dev.datamigrate.actuate.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.datamigrate.DataMigrationListener;

/**
 * The last {@value #LIMIT} batches of each migration's current run on this instance, for the
 * endpoint's single-migration response ({@code recentBatches}) and the console's chart. A run that starts
 * or resumes begins a new list; the history table keeps the totals.
 */
public class RecentBatches implements DataMigrationListener {

	/**
	 * How many batches are kept per migration.
	 */
	public static final int LIMIT = 1_000;

	private final Map<String, Deque<RecentBatch>> batches = new ConcurrentHashMap<>();

	private final Clock clock;

	/**
	 * Keep batches as they commit, stamped with the system clock.
	 */
	public RecentBatches() {
		this(Clock.systemUTC());
	}

	RecentBatches(Clock clock) {
		this.clock = clock;
	}

	@Override
	public void migrationStarted(String version) {
		this.batches.put(version, new ArrayDeque<>());
	}

	@Override
	public void batchCommitted(String version, int records, int size, Duration took) {
		Deque<RecentBatch> recent = this.batches.computeIfAbsent(version, (key) -> new ArrayDeque<>());
		RecentBatch batch = new RecentBatch(this.clock.instant(), records, Math.round(took.toNanos() / 10_000.0) / 100.0,
				size);
		synchronized (recent) {
			if (recent.size() == LIMIT) {
				recent.removeFirst();
			}
			recent.addLast(batch);
		}
	}

	/**
	 * The batches of a migration's current run on this instance, oldest first.
	 * @param version the migration's version
	 * @return the batches, empty when none ran here
	 */
	public List<RecentBatch> of(String version) {
		Deque<RecentBatch> recent = this.batches.get(version);
		if (recent == null) {
			return List.of();
		}
		synchronized (recent) {
			return List.copyOf(recent);
		}
	}

	/**
	 * A committed batch.
	 *
	 * @param at when it committed
	 * @param records records it processed
	 * @param durationMs how long its transaction took, in milliseconds to two decimals
	 * @param batchSize the size it was read with
	 */
	public record RecentBatch(Instant at, int records, double durationMs, int batchSize) {
	}

}
