package dev.datamigrate.batch;

import org.jspecify.annotations.Nullable;

/**
 * The size of a walk's next batch: fixed, or sized so that a batch takes about the target duration,
 * growing by at most 1.2 times a batch while batches are faster and shrinking as much as a slower batch
 * asks at once. A batch whose statement timed out is retried at half its size.
 */
final class BatchSizer {

	private static final double MAX_GROWTH = 1.2;

	private final boolean fixed;

	private final int minSize;

	private final int maxSize;

	private final long targetNanos;

	private int size;

	BatchSizer(BatchSettings settings, @Nullable Integer fixedSize) {
		this.fixed = fixedSize != null;
		this.minSize = this.fixed ? 1 : settings.minSize();
		this.maxSize = this.fixed ? fixedSize : settings.maxSize();
		this.targetNanos = settings.targetDuration().toNanos();
		this.size = this.fixed ? fixedSize : settings.minSize();
	}

	int size() {
		return this.size;
	}

	/**
	 * A batch of the current size committed after so long.
	 */
	void committed(long nanos) {
		if (!this.fixed) {
			double factor = Math.min(MAX_GROWTH, (double) this.targetNanos / Math.max(1, nanos));
			this.size = bounded((long) Math.ceil(this.size * factor));
		}
	}

	/**
	 * A batch's statement ran out of time.
	 */
	void timedOut() {
		this.size = bounded(this.size / 2);
	}

	private int bounded(long size) {
		return (int) Math.max(this.minSize, Math.min(this.maxSize, size));
	}

}
