package dev.datamigrate.runner;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The events of a walk. Its {@code data_migration_batch} events: every batch at DEBUG, and at INFO the
 * first batch of a run and then at most one event per interval, saying the batches and rows since the
 * previous one, with one for the batches left unsaid when the walk ends. Its retries and throttling, each
 * after the batches left unsaid.
 */
final class BatchLog {

	private final String migration;

	private final String version;

	private final long intervalNanos;

	private Long totalBatches;

	private long nextInfo;

	private boolean started;

	private boolean first = true;

	private long batches;

	private long records;

	private long lastNumber;

	private int lastSize;

	BatchLog(String migration, String version, Duration interval) {
		this.migration = migration;
		this.version = version;
		this.intervalNanos = interval.toNanos();
	}

	/**
	 * Log the start of the run once, and where it resumes from, if it does.
	 */
	void started(@Nullable Long totalRecords, @Nullable Long totalBatches, @Nullable String resumedFrom) {
		if (this.started) {
			return;
		}
		this.started = true;
		MigrationEvents.info("data_migration_start", "migration", this.migration, "version", this.version,
				"total_records", totalRecords, "total_batches", totalBatches);
		if (resumedFrom != null) {
			MigrationEvents.info("data_migration_resumed", "migration", this.migration, "version", this.version,
					"checkpoint", resumedFrom);
		}
	}

	void totalBatches(Long totalBatches) {
		this.totalBatches = totalBatches;
	}

	void committed(long number, int size, long changed) {
		MigrationEvents.debug("data_migration_batch", "migration", this.migration, "version", this.version,
				"records_updated", changed, "batch_size", size, "batch_processed", number, "total_batches",
				this.totalBatches);
		this.batches++;
		this.records += changed;
		this.lastNumber = number;
		this.lastSize = size;
		long now = System.nanoTime();
		if (this.first || now - this.nextInfo >= 0) {
			this.first = false;
			this.nextInfo = now + this.intervalNanos;
			flush();
		}
	}

	/**
	 * Log at INFO the batches not logged yet.
	 */
	void flush() {
		if (this.batches == 0) {
			return;
		}
		MigrationEvents.info("data_migration_batch", "migration", this.migration, "version", this.version,
				"records_updated", this.records, "batches", this.batches, "batch_size", this.lastSize,
				"batch_processed", this.lastNumber, "total_batches", this.totalBatches);
		this.batches = 0;
		this.records = 0;
	}

	void retrying(long number, int attempt, Throwable error, Duration backoff) {
		flush();
		MigrationEvents.info("data_migration_batch_retry", "migration", this.migration, "version", this.version,
				"batch_processed", number, "attempt", attempt, "error", String.valueOf(error), "backoff_ms",
				backoff.toMillis());
	}

	void throttled(String reason, Duration backoff) {
		flush();
		MigrationEvents.info("data_migration_throttled", "migration", this.migration, "version", this.version, "reason",
				reason, "backoff_ms", backoff.toMillis());
	}

	void unthrottled(@Nullable String reason, Duration held) {
		MigrationEvents.info("data_migration_unthrottled", "migration", this.migration, "version", this.version,
				"reason", reason, "backoff_ms", held.toMillis());
	}

}
