package dev.datamigrate.batch;

import java.util.ArrayList;
import java.util.List;

/**
 * Reports a walk's start, with its total, and then its committed batches to the run, in that order,
 * holding batches back while the total is still being counted beside them.
 */
final class WalkReports {

	private final BatchProgress progress;

	private final int size;

	private final List<Committed> held = new ArrayList<>();

	private BackgroundCount counting;

	private boolean begun;

	private Long total;

	private long walked;

	WalkReports(BatchProgress progress, int size) {
		this.progress = progress;
		this.size = size;
	}

	/**
	 * The walk starts with its total known: report it.
	 * @param total records matching the walk
	 */
	void begin(long total) {
		begin((Long) total);
	}

	/**
	 * The walk starts while its total is counted: its start is reported when the count ends.
	 * @param counting the count
	 */
	void beginCounting(BackgroundCount counting) {
		this.counting = counting;
	}

	/**
	 * A batch has committed.
	 * @param number its number
	 * @param size its keys
	 * @param checkpoint the checkpoint after it
	 * @param changed rows it changed
	 */
	void committed(long number, int size, String checkpoint, long changed) {
		this.walked += size;
		Committed batch = new Committed(number, size, checkpoint, changed);
		if (!this.begun && this.counting.isDone()) {
			begin(this.counting.await());
		}
		if (this.begun) {
			report(batch);
		}
		else {
			this.held.add(batch);
		}
	}

	/**
	 * The walk has run out of keys: wait for its total, then report what is held back. A total that was not
	 * counted, because the count failed or was interrupted, is recorded as the rows the walk found.
	 */
	void finished() {
		if (!this.begun && this.counting != null) {
			begin(this.counting.await());
		}
		if (this.total == null) {
			this.progress.recordTotal(this.progress.recordsProcessed() + this.walked);
		}
	}

	/**
	 * The walk stops before its end, or fails: cancel a count still under way, which then records no total
	 * (the next run counts it), and report what is held back.
	 */
	void stopped() {
		if (!this.begun && this.counting != null) {
			begin(this.counting.cancel());
		}
	}

	private void begin(Long total) {
		this.begun = true;
		this.total = total;
		this.progress.begin(total, (total != null) ? (total + this.size - 1) / this.size : null);
		this.held.forEach(this::report);
		this.held.clear();
	}

	private void report(Committed batch) {
		this.progress.committed(batch.number, batch.size, batch.checkpoint, batch.changed);
	}

	private record Committed(long number, int size, String checkpoint, long changed) {
	}

}
