package dev.datamigrate.batch;

import java.util.ArrayList;
import java.util.List;

import dev.datamigrate.Batch;

/**
 * Reports a walk's start, with its total, and then its committed batches to the run, in that order,
 * holding batches back while the total is still being counted beside them.
 */
final class WalkReports {

	private final BatchProgress progress;

	private final int size;

	private final BackgroundCount counting;

	private final List<Runnable> held = new ArrayList<>();

	private boolean begun;

	private WalkReports(BatchProgress progress, int size, BackgroundCount counting) {
		this.progress = progress;
		this.size = size;
		this.counting = counting;
	}

	/**
	 * Reports of a walk whose total is known.
	 * @param progress the run
	 * @param size keys per batch
	 * @param total the total
	 * @return the reports, the start reported
	 */
	static WalkReports begun(BatchProgress progress, int size, long total) {
		WalkReports reports = new WalkReports(progress, size, null);
		reports.begin(total);
		return reports;
	}

	/**
	 * Reports of a walk whose total is being counted.
	 * @param progress the run
	 * @param size keys per batch
	 * @param counting the count
	 * @return the reports, the start to be reported when the count ends
	 */
	static WalkReports counting(BatchProgress progress, int size, BackgroundCount counting) {
		return new WalkReports(progress, size, counting);
	}

	/**
	 * A batch has committed.
	 * @param batch the batch
	 * @param checkpoint the checkpoint after it
	 * @param changed rows it changed
	 */
	void committed(Batch<?> batch, String checkpoint, long changed) {
		Runnable report = () -> this.progress.committed(batch, checkpoint, changed);
		if (!this.begun && this.counting.isDone()) {
			begin(this.counting.await());
		}
		if (this.begun) {
			report.run();
		}
		else {
			this.held.add(report);
		}
	}

	/**
	 * The walk has run out of keys: wait for its total, then report what is held back.
	 */
	void finished() {
		if (!this.begun) {
			begin(this.counting.await());
		}
	}

	/**
	 * The walk stops before its end, or fails: cancel a count still under way, whose run then records no
	 * total (the next run counts it), and report what is held back.
	 */
	void stopped() {
		if (!this.begun) {
			begin(this.counting.cancel());
		}
	}

	private void begin(Long total) {
		this.begun = true;
		this.progress.begin(total, (total != null) ? (total + this.size - 1) / this.size : null);
		this.held.forEach(Runnable::run);
		this.held.clear();
	}

}
