package dev.datamigrate.history;

import java.time.Instant;

import dev.datamigrate.MigrationInfo.MigrationStatus;
import org.jspecify.annotations.Nullable;

/**
 * One row of the history table.
 *
 * @param version the version as written
 * @param description what it does
 * @param className the class that implemented it
 * @param status its state
 * @param attempts how many times it was started
 * @param startedAt when it was last started
 * @param finishedAt when it last finished
 * @param durationMs how long its last run took
 * @param recordsTotal records to process, when known
 * @param recordsProcessed records processed so far
 * @param batchesDone batches committed so far
 * @param checkpoint the last checkpoint
 * @param error the error of its last failure
 * @param executedBy host and process that last ran it
 * @param triggeredBy who asked for its last run
 * @param ownerToken token of the run that owns it
 * @param updatedAt when the row last changed
 * @param batchSize size of the last committed batch of a walk
 * @param heartbeatAt when the run that owns it last said it is alive
 * @param throttledBy why a throttle holds its walk back, or {@code null}
 * @param throttledSince since when a throttle holds its walk back, or {@code null}
 * @param appVersion the application's version at its last run, or {@code null}
 * @param rowsPerSecond records per second of its last run over about its last minute, or {@code null}
 */
public record HistoryRecord(String version, @Nullable String description, @Nullable String className,
		MigrationStatus status, int attempts, @Nullable Instant startedAt, @Nullable Instant finishedAt,
		@Nullable Long durationMs, @Nullable Long recordsTotal, long recordsProcessed, long batchesDone,
		@Nullable String checkpoint, @Nullable String error, @Nullable String executedBy, @Nullable String triggeredBy,
		@Nullable String ownerToken, @Nullable Instant updatedAt, @Nullable Integer batchSize,
		@Nullable Instant heartbeatAt, @Nullable String throttledBy, @Nullable Instant throttledSince,
		@Nullable String appVersion, @Nullable Double rowsPerSecond) {

}
