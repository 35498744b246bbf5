package dev.datamigrate.history;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.database.Database;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * The history table: one row per migration version. Writes made while a transaction is active join it,
 * so a migration's work and its record commit together. Writes on behalf of a run are guarded by the
 * run's owner token and report whether they still owned the row.
 */
public class MigrationHistory {

	private static final int MAX_ERROR_LENGTH = 4000;

	private final JdbcTemplate jdbc;

	private final String table;

	private final HistoryTable schema;

	/**
	 * Create the history of a data source, whose connections it takes outside a transaction in auto-commit
	 * mode, whatever the pool's default.
	 * @param dataSource the application's data source
	 * @param database the database behind it
	 * @param table the validated table name
	 */
	public MigrationHistory(DataSource dataSource, Database database, String table) {
		this.jdbc = new JdbcTemplate(new AutoCommitDataSource(dataSource));
		this.table = table;
		this.schema = new HistoryTable(this.jdbc, database, table);
	}

	/**
	 * The table name.
	 * @return the table name
	 */
	public String table() {
		return this.table;
	}

	/**
	 * Whether the table exists.
	 * @return whether it exists
	 */
	public boolean exists() {
		return !this.schema.existingColumns().isEmpty();
	}

	/**
	 * Create the table unless it exists, or add the columns it lacks. Call it while holding the lock, so
	 * instances do not race.
	 */
	public void createIfAbsent() {
		this.schema.createOrUpgrade();
	}

	/**
	 * Every row, in no particular order; none when the table does not exist yet.
	 * @return the rows
	 */
	public List<HistoryRecord> findAll() {
		if (!exists()) {
			return List.of();
		}
		return this.jdbc.query("select " + HistoryTable.SELECTED + " from " + this.table, HistoryTable::map);
	}

	/**
	 * The status of every row, by version as written, if the table exists with every column; empty when it
	 * does not exist or an earlier version of the starter made it, so that it needs {@link #createIfAbsent()}
	 * first. Reads two columns: it costs little however many migrations are done.
	 * @return the statuses
	 */
	public Optional<Map<String, MigrationStatus>> statusesIfCurrent() {
		if (!this.schema.isCurrent()) {
			return Optional.empty();
		}
		Map<String, MigrationStatus> statuses = new HashMap<>();
		this.jdbc.query("select version, status from " + this.table, (RowCallbackHandler) (rs) -> statuses
			.put(rs.getString("version"), MigrationStatus.valueOf(rs.getString("status"))));
		return Optional.of(statuses);
	}

	/**
	 * The row of a version.
	 * @param version the version as written
	 * @return the row
	 */
	public Optional<HistoryRecord> find(String version) {
		return this.jdbc
			.query("select " + HistoryTable.SELECTED + " from " + this.table + " where version = ?", HistoryTable::map,
					version)
			.stream()
			.findFirst();
	}

	/**
	 * Record a migration the application knows but the table does not.
	 * @param version the version
	 * @param description what it does
	 * @param className the implementing class
	 * @param status {@code PENDING}, or {@code BASELINE} for a baseline
	 */
	public void insert(String version, String description, String className, MigrationStatus status) {
		this.jdbc.update("insert into " + this.table
				+ " (version, description, class_name, status, attempts, records_processed, batches_done, updated_at)"
				+ " values (?, ?, ?, ?, 0, 0, 0, ?)", version, description, className, status.name(), now());
	}

	/**
	 * Claim a migration for a run, if it is still in one of the states a run may take it from: it
	 * becomes RUNNING and owned by the token, and its attempts grow.
	 * @param version the version as recorded
	 * @param from the states the run may take it from, such as PENDING, or RUNNING for an interrupted run
	 * @param description what it does
	 * @param className the implementing class
	 * @param ownerToken the run's token
	 * @param executedBy host and process
	 * @param triggeredBy who asked
	 * @return the claimed row, or empty when an operator changed its state in the meantime
	 */
	public Optional<HistoryRecord> start(String version, Set<MigrationStatus> from, String description,
			String className, String ownerToken, String executedBy, String triggeredBy, String appVersion) {
		Timestamp now = now();
		int claimed = this.jdbc.update("update " + this.table + " set status = ?, description = ?, class_name = ?, "
				+ "attempts = attempts + 1, started_at = ?, finished_at = null, duration_ms = null, error = null, "
				+ "executed_by = ?, triggered_by = ?, owner_token = ?, heartbeat_at = ?, updated_at = ?, "
				+ "throttled_by = null, throttled_since = null, app_version = ?, rows_per_second = null "
				+ "where version = ? and status in (" + states(from) + ")", MigrationStatus.RUNNING.name(), description,
				className, now, executedBy, triggeredBy, ownerToken, now, now, appVersion, version);
		return (claimed == 1) ? find(version) : Optional.empty();
	}

	/**
	 * Record the total number of records of a run's migration.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @param total the total
	 * @return whether the run still owns the migration
	 */
	public boolean recordTotal(String version, String ownerToken, long total) {
		return this.jdbc.update("update " + this.table + " set records_total = ?, updated_at = ? " + owned(), total,
				now(), version, ownerToken) == 1;
	}

	/**
	 * Record a batch, in its transaction: its checkpoint, its records and its size.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @param checkpoint the last key of the batch
	 * @param records records the batch processed
	 * @param size the batch's size
	 * @param rowsPerSecond the run's rate over about the last minute
	 * @return whether the run still owns the migration: if not, the batch must roll back
	 */
	public boolean recordBatch(String version, String ownerToken, String checkpoint, long records, int size,
			double rowsPerSecond) {
		Timestamp now = now();
		return this.jdbc.update("update " + this.table + " set checkpoint = ?, records_processed = records_processed + ?, "
				+ "batches_done = batches_done + 1, batch_size = ?, rows_per_second = ?, heartbeat_at = ?, "
				+ "updated_at = ? " + owned(), checkpoint, records, size, rowsPerSecond, now, now, version,
				ownerToken) == 1;
	}

	/**
	 * Record that a throttle holds a run's walk back, or no longer does.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @param reason why it is held, or {@code null} when it goes on
	 * @return whether the run still owns the migration
	 */
	public boolean recordThrottle(String version, String ownerToken, @Nullable String reason) {
		String truncated = (reason != null && reason.length() > 1000) ? reason.substring(0, 1000) : reason;
		return this.jdbc.update("update " + this.table + " set throttled_by = ?, throttled_since = ? " + owned(),
				truncated, (reason != null) ? now() : null, version, ownerToken) == 1;
	}

	/**
	 * Record that a run is alive.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @return whether the run still owns the migration
	 */
	public boolean heartbeat(String version, String ownerToken) {
		return this.jdbc.update("update " + this.table + " set heartbeat_at = ? " + owned(), now(), version,
				ownerToken) == 1;
	}

	/**
	 * Whether a run still owns a migration: it is RUNNING with the run's token.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @return whether the run owns it
	 */
	public boolean isOwnedBy(String version, String ownerToken) {
		return find(version).filter((record) -> record.status() == MigrationStatus.RUNNING)
			.filter((record) -> ownerToken.equals(record.ownerToken()))
			.isPresent();
	}

	/**
	 * Record a checkpoint of a custom loop.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @param checkpoint the checkpoint
	 * @return whether the run still owns the migration
	 */
	public boolean recordCheckpoint(String version, String ownerToken, String checkpoint) {
		return this.jdbc.update("update " + this.table + " set checkpoint = ?, updated_at = ? " + owned(), checkpoint,
				now(), version, ownerToken) == 1;
	}

	/**
	 * Record progress of custom work.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @param processed records processed
	 * @param total records in all, or {@code null} when unknown
	 * @param rowsPerSecond the run's rate over about the last minute
	 * @return whether the run still owns the migration
	 */
	public boolean recordProgress(String version, String ownerToken, long processed, @Nullable Long total,
			double rowsPerSecond) {
		return this.jdbc.update("update " + this.table + " set records_processed = ?, records_total = ?, "
				+ "rows_per_second = ?, updated_at = ? " + owned(), processed, total, rowsPerSecond, now(), version,
				ownerToken) == 1;
	}

	/**
	 * Record the progress of a parallel walk's ranges in all.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @param records records the ranges processed
	 * @param batches batches the ranges committed
	 * @param checkpoint how far the walk is, in ranges
	 * @param rowsPerSecond the walk's rate over about the last minute
	 * @return whether the run still owns the migration
	 */
	public boolean recordWalked(String version, String ownerToken, long records, long batches, String checkpoint,
			double rowsPerSecond) {
		return this.jdbc.update("update " + this.table + " set records_processed = ?, batches_done = ?, checkpoint = ?, "
				+ "rows_per_second = ?, heartbeat_at = ?, updated_at = ? " + owned(), records, batches, checkpoint,
				rowsPerSecond, now(), now(), version, ownerToken) == 1;
	}

	/**
	 * Mark a run's migration SUCCEEDED.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @param startedAt when the run started
	 * @param checkpoint a last checkpoint to record with the success, or {@code null} to keep the one
	 * recorded
	 * @return whether the run still owned the migration
	 */
	public boolean succeed(String version, String ownerToken, Instant startedAt, @Nullable String checkpoint) {
		Instant now = Instant.now();
		return this.jdbc.update("update " + this.table + " set status = ?, finished_at = ?, duration_ms = ?, "
				+ "checkpoint = coalesce(?, checkpoint), owner_token = null, updated_at = ? " + owned(),
				MigrationStatus.SUCCEEDED.name(), Timestamp.from(now), now.toEpochMilli() - startedAt.toEpochMilli(),
				checkpoint, Timestamp.from(now), version, ownerToken) == 1;
	}

	/**
	 * Mark a run's migration FAILED with its error.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @param startedAt when the run started
	 * @param error the error text
	 * @return whether the run still owned the migration
	 */
	public boolean fail(String version, String ownerToken, Instant startedAt, String error) {
		Instant now = Instant.now();
		String truncated = (error.length() > MAX_ERROR_LENGTH) ? error.substring(0, MAX_ERROR_LENGTH) : error;
		return this.jdbc.update("update " + this.table + " set status = ?, finished_at = ?, duration_ms = ?, error = ?, "
				+ "owner_token = null, updated_at = ? " + owned(), MigrationStatus.FAILED.name(), Timestamp.from(now),
				now.toEpochMilli() - startedAt.toEpochMilli(), truncated, Timestamp.from(now), version,
				ownerToken) == 1;
	}

	/**
	 * Move a migration from one of some states to another, as an operator asks.
	 * @param version the version
	 * @param from the states it may be in
	 * @param to the new state
	 * @param triggeredBy who asked, or {@code null} to keep the recorded one
	 * @return whether the migration was in one of the states
	 */
	public boolean transition(String version, Set<MigrationStatus> from, MigrationStatus to, @Nullable String triggeredBy) {
		return this.jdbc.update("update " + this.table + " set status = ?, triggered_by = coalesce(?, triggered_by), "
				+ "updated_at = ? where version = ? and status in (" + states(from) + ")", to.name(), triggeredBy, now(),
				version) == 1;
	}

	private static String states(Set<MigrationStatus> statuses) {
		return statuses.stream().map((status) -> "'" + status.name() + "'").collect(Collectors.joining(", "));
	}

	private static String owned() {
		return "where version = ? and owner_token = ? and status = 'RUNNING'";
	}

	private static Timestamp now() {
		return Timestamp.from(Instant.now());
	}

}
