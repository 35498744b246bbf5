package dev.datamigrate.batch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reports a walk's start, with its total, and then its committed batches to the run, in that order,
 * holding batches back while the total is still being counted beside them; and records a total counted
 * before the first batch once that batch has committed, outside its transaction, where recording it would
 * hold the history row's lock through the batch.
 */
final class WalkReports {

	private final BatchProgress progress;

	private final int size;

	private final List<Committed> held = new ArrayList<>();

	private BackgroundCount counting;

	private boolean begun;

	private Long total;

	private boolean recorded;

	private long walked;

	WalkReports(BatchProgress progress, int size) {
		this.progress = progress;
		this.size = size;
	}

	/**
	 * The walk starts with the total an earlier run recorded: report it.
	 * @param total records matching the walk
	 */
	void beginRecorded(long total) {
		this.recorded = true;
		begin(total);
	}

	/**
	 * The walk starts with the total it has counted: report it, and record it once the first batch has
	 * committed.
	 * @param total records matching the walk
	 */
	void beginCounted(long total) {
		begin(total);
	}

	/**
	 * The walk starts while its total is counted: its start is reported when the count, which records the
	 * total, ends.
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
	 * @param committedAt when it committed
	 */
	void committed(long number, int size, String checkpoint, long changed, Instant committedAt) {
		this.walked += size;
		if (this.total != null && !this.recorded) {
			record(this.total);
		}
		Committed batch = new Committed(number, size, checkpoint, changed, committedAt);
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
		if (!this.recorded) {
			record((this.total != null) ? this.total : this.progress.recordsProcessed() + this.walked);
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
		// a count beside the batches has recorded the total it counted
		this.recorded |= this.counting != null && total != null;
		this.progress.begin(total, (total != null) ? (total + this.size - 1) / this.size : null);
		this.held.forEach(this::report);
		this.held.clear();
	}

	private void record(long total) {
		this.recorded = true;
		this.progress.recordTotal(total);
	}

	private void report(Committed batch) {
		this.progress.committed(batch.number, batch.size, batch.checkpoint, batch.changed, batch.committedAt);
	}

	private record Committed(long number, int size, String checkpoint, long changed, Instant committedAt) {
	}

}
