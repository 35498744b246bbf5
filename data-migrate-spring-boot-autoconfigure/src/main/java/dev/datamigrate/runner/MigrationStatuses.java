package dev.datamigrate.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

import dev.datamigrate.DataMigrations.DataMigrationsStatus;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.MigrationInfo.Ranges;
import dev.datamigrate.history.HistoryRecord;
import dev.datamigrate.history.MigrationHistory;
import dev.datamigrate.history.RangeTable;
import org.jspecify.annotations.Nullable;

/**
 * Every migration as the application, the history and the ranges of parallel walks know it.
 */
public class MigrationStatuses {

	private final DataMigrationRegistry registry;

	private final MigrationHistory history;

	private final RangeTable ranges;

	private final Duration heartbeatLease;

	/**
	 * Create the statuses of an application's migrations.
	 * @param registry the application's migrations
	 * @param history the history table
	 * @param ranges the ranges of parallel walks
	 * @param heartbeatLease how long a run's heartbeat lasts, after which its migration is shown as interrupted
	 */
	public MigrationStatuses(DataMigrationRegistry registry, MigrationHistory history, RangeTable ranges,
			Duration heartbeatLease) {
		this.registry = registry;
		this.history = history;
		this.ranges = ranges;
		this.heartbeatLease = heartbeatLease;
	}

	DataMigrationsStatus status() {
		Map<MigrationVersion, MigrationInfo> migrations = new TreeMap<>();
		for (MigrationDefinition definition : this.registry.definitions()) {
			migrations.put(definition.version(), pending(definition));
		}
		Map<String, Ranges> walks = this.ranges.exists() ? this.ranges.summaries() : Map.of();
		for (HistoryRecord record : this.history.findAll()) {
			MigrationVersion version = MigrationVersion.parse(record.version());
			migrations.put(version, info(record, this.registry.find(version).isPresent(), walks.get(record.version())));
		}
		return new DataMigrationsStatus(new ArrayList<>(migrations.values()));
	}

	private static MigrationInfo pending(MigrationDefinition definition) {
		return new MigrationInfo(definition.version().toString(), definition.description(), definition.className(),
				MigrationStatus.PENDING, 0, null, null, null, null, 0, 0, null, null, null, null, null, null, null, null, null,
				null, null, null, true);
	}

	private MigrationInfo info(HistoryRecord record, boolean known, @Nullable Ranges ranges) {
		Instant interrupted = interruptedSince(record);
		// a row left throttled by a runner that died shows its interruption only, and no rate
		boolean alive = record.status() == MigrationStatus.RUNNING && interrupted == null;
		return new MigrationInfo(record.version(), record.description(), record.className(), record.status(),
				record.attempts(), record.startedAt(), record.finishedAt(), record.durationMs(), record.recordsTotal(),
				record.recordsProcessed(), record.batchesDone(), record.checkpoint(), record.error(),
				record.executedBy(), record.triggeredBy(), record.updatedAt(), record.batchSize(),
				interrupted, alive ? record.throttledBy() : null, alive ? record.throttledSince() : null,
				record.appVersion(), alive ? record.rowsPerSecond() : null, ranges, known);
	}

	/**
	 * When a RUNNING migration's runner last said it was alive, if that is longer ago than a heartbeat lasts.
	 */
	private @Nullable Instant interruptedSince(HistoryRecord record) {
		if (record.status() != MigrationStatus.RUNNING) {
			return null;
		}
		Instant alive = (record.heartbeatAt() != null) ? record.heartbeatAt() : record.updatedAt();
		return (alive == null || alive.isBefore(Instant.now().minus(this.heartbeatLease))) ? alive : null;
	}

}
