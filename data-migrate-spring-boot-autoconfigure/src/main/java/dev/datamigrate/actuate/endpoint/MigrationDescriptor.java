package dev.datamigrate.actuate.endpoint;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.MigrationInfo.Ranges;
import dev.datamigrate.actuate.endpoint.RecentBatches.RecentBatch;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * One migration as the endpoint shows it, every field written, {@code null} where it has no value.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public final class MigrationDescriptor implements OperationResponseBody {

	private final MigrationInfo migration;

	private final @Nullable List<RecentBatch> recentBatches;

	MigrationDescriptor(MigrationInfo migration) {
		this(migration, null);
	}

	MigrationDescriptor(MigrationInfo migration, @Nullable List<RecentBatch> recentBatches) {
		this.migration = migration;
		this.recentBatches = recentBatches;
	}

	public String getVersion() {
		return this.migration.version();
	}

	public @Nullable String getDescription() {
		return this.migration.description();
	}

	public MigrationStatus getStatus() {
		return this.migration.status();
	}

	public @Nullable Instant getStartedAt() {
		return this.migration.startedAt();
	}

	public @Nullable Instant getFinishedAt() {
		return this.migration.finishedAt();
	}

	public @Nullable Long getDurationMs() {
		return this.migration.durationMs();
	}

	public @Nullable Long getRecordsTotal() {
		return this.migration.recordsTotal();
	}

	/**
	 * Records processed so far, or {@code null} once a migration that neither walked batches nor reported
	 * its progress has ended: its count is unknown rather than 0.
	 * @return the records processed
	 */
	public @Nullable Long getRecordsProcessed() {
		boolean ended = this.migration.status() != MigrationStatus.PENDING
				&& this.migration.status() != MigrationStatus.RUNNING && this.migration.status() != MigrationStatus.PAUSED;
		boolean unknown = ended && this.migration.recordsTotal() == null && this.migration.batchesDone() == 0
				&& this.migration.recordsProcessed() == 0;
		return unknown ? null : this.migration.recordsProcessed();
	}

	public @Nullable Double getProgress() {
		return this.migration.progress();
	}

	/**
	 * Records per second over about the last minute of a RUNNING migration, or {@code null}.
	 * @return the rate
	 */
	public @Nullable Double getRowsPerSecond() {
		Double rate = this.migration.rowsPerSecond();
		return (rate != null) ? Math.round(rate * 10) / 10.0 : null;
	}

	/**
	 * Seconds until a RUNNING migration is done at its current rate, or {@code null} when unknown.
	 * @return the estimated time to finish
	 */
	public @Nullable Long getEtaSeconds() {
		return this.migration.etaSeconds();
	}

	public long getBatchesDone() {
		return this.migration.batchesDone();
	}

	public @Nullable Integer getBatchSize() {
		return this.migration.batchSize();
	}

	/**
	 * Since when a RUNNING migration's runner has not said it is alive, or {@code null} while it runs.
	 * @return when its runner was last alive, if no runner works on it
	 */
	public @Nullable Instant getInterrupted() {
		return this.migration.interruptedSince();
	}

	/**
	 * Why a throttle holds the running migration's walk back, or {@code null} while none does.
	 * @return the throttle's reason
	 */
	public @Nullable String getThrottledBy() {
		return this.migration.throttledBy();
	}

	public @Nullable Instant getThrottledSince() {
		return this.migration.throttledSince();
	}

	public @Nullable String getAppVersion() {
		return this.migration.appVersion();
	}

	public @Nullable String getCheckpoint() {
		return this.migration.checkpoint();
	}

	public int getAttempts() {
		return this.migration.attempts();
	}

	public @Nullable String getExecutedBy() {
		return this.migration.executedBy();
	}

	public @Nullable String getTriggeredBy() {
		return this.migration.triggeredBy();
	}

	public @Nullable String getError() {
		return this.migration.error();
	}

	/**
	 * The ranges of a parallel walk by state, and the instance of each worker walking one now.
	 * @return the ranges, or {@code null} when the migration walks none in parallel
	 */
	public @Nullable Ranges getRanges() {
		return this.migration.ranges();
	}

	/**
	 * The last batches of the current run on this instance, oldest first; only in the single-migration
	 * response, so the list stays small.
	 * @return the batches, or {@code null} in the list response
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public @Nullable List<RecentBatch> getRecentBatches() {
		return this.recentBatches;
	}

}
