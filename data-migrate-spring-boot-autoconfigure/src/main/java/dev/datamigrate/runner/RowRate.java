package dev.datamigrate.runner;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The rate of a run's records over about the last minute: the records it processed since the newest
 * sample that is at least a minute old (since the run started, in its first minute), divided by the
 * time since.
 */
final class RowRate {

	private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();

	private final Deque<Sample> samples = new ArrayDeque<>();

	RowRate() {
		this.samples.add(new Sample(System.nanoTime(), 0));
	}

	/**
	 * Records this run processed by the last sample.
	 * @return the records
	 */
	long records() {
		return this.samples.getLast().records();
	}

	/**
	 * The rate, were the run to have processed this many records by now.
	 * @param records records processed by this run
	 * @return records per second over about the last minute, never negative
	 */
	double at(long records) {
		long now = System.nanoTime();
		while (this.samples.size() > 1 && now - second().nanos() >= WINDOW_NANOS) {
			this.samples.removeFirst();
		}
		Sample base = this.samples.getFirst();
		return Math.max(0, records - base.records()) * 1e9 / Math.max(1, now - base.nanos());
	}

	/**
	 * Take a sample: the run has processed this many records by now.
	 * @param records records processed by this run
	 */
	void sample(long records) {
		this.samples.addLast(new Sample(System.nanoTime(), records));
	}

	private Sample second() {
		Iterator<Sample> iterator = this.samples.iterator();
		iterator.next();
		return iterator.next();
	}

	private record Sample(long nanos, long records) {
	}

}
