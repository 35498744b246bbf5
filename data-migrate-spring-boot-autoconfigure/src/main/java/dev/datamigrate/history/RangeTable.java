package dev.datamigrate.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

import dev.datamigrate.MigrationInfo.Ranges;
import dev.datamigrate.database.Database;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The key ranges of parallel walks, in a table beside the history named after it with {@code _ranges}:
 * one row per range, with its bounds, its checkpoint and counters, and the worker that owns it while its
 * lease lasts. Writes made while a transaction is active join it, so a batch commits with its range's
 * checkpoint, and only while its worker still owns the range.
 */
public class RangeTable {

	private static final int MAX_ERROR_LENGTH = 4000;

	private static final String CLAIMABLE = "version = ? and status in ('WAITING', 'RUNNING') "
			+ "and (owner_token is null or lease_until < ?)";

	private final JdbcTemplate jdbc;

	private final Database database;

	private final String table;

	private final String history;

	private final TransactionTemplate claims;

	private volatile boolean exists;

	/**
	 * Create the range table of a history table.
	 * @param dataSource the application's data source
	 * @param database the database behind it
	 * @param historyTable the validated history table name
	 * @param transactions template of the transactions that claim a range
	 */
	public RangeTable(DataSource dataSource, Database database, String historyTable, TransactionTemplate transactions) {
		this.jdbc = new JdbcTemplate(new AutoCommitDataSource(dataSource));
		this.database = database;
		this.table = historyTable + "_ranges";
		this.history = historyTable;
		this.claims = transactions;
	}

	/**
	 * Create the table unless it exists. Call it while holding the lock, so instances do not race.
	 */
	public void createIfAbsent() {
		if (exists()) {
			return;
		}
		this.jdbc.execute("create table if not exists " + this.table + " (version " + type("text(100)")
				+ " not null, range_number integer not null, after_key " + type("text(1000)") + ", last_key "
				+ type("text(1000)") + " not null, checkpoint " + type("text(1000)")
				+ ", records_processed bigint default 0 not null, batches_done bigint default 0 not null, status "
				+ type("text(20)") + " not null, owner_token " + type("text(64)") + ", executed_by " + type("text(255)")
				+ ", lease_until " + type("timestamp") + ", error " + type("long-text") + ", updated_at "
				+ type("timestamp") + ", primary key (version, range_number))");
	}

	private String type(String kind) {
		return this.database.type(kind);
	}

	/**
	 * Whether the table exists.
	 * @return whether it exists
	 */
	public boolean exists() {
		this.exists = this.exists || !new HistoryTable(this.jdbc, this.database, this.table).existingColumns().isEmpty();
		return this.exists;
	}

	/**
	 * The ranges of every parallel walk, by state, and their live workers, by migration version.
	 * @return the summaries
	 */
	public Map<String, Ranges> summaries() {
		Map<String, List<KeyRange>> byVersion = new TreeMap<>();
		this.jdbc.query("select * from " + this.table, RangeTable::map)
			.forEach((range) -> byVersion.computeIfAbsent(range.version(), (version) -> new ArrayList<>()).add(range));
		Instant now = Instant.now();
		Map<String, Ranges> summaries = new HashMap<>();
		byVersion.forEach((version, ranges) -> {
			List<String> workers = ranges.stream()
				.filter((range) -> range.isWalkedAt(now))
				.map(KeyRange::executedBy)
				.sorted()
				.toList();
			int done = count(ranges, "DONE");
			int failed = count(ranges, "FAILED");
			summaries.put(version, new Ranges(done, workers.size(), ranges.size() - done - failed - workers.size(), failed,
					workers));
		});
		return summaries;
	}

	private static int count(List<KeyRange> ranges, String status) {
		return (int) ranges.stream().filter((range) -> status.equals(range.status())).count();
	}

	/**
	 * The ranges of a migration's walk, in key order; none when it was never split.
	 * @param version the migration's version
	 * @return the ranges
	 */
	public List<KeyRange> find(String version) {
		return this.jdbc.query("select * from " + this.table + " where version = ? order by range_number",
				RangeTable::map, version);
	}

	/**
	 * Record the ranges a walk's keys were split into, each WAITING.
	 * @param version the migration's version
	 * @param bounds each range's exclusive lower bound ({@code null} for the first) and inclusive upper bound
	 */
	public void insert(String version, List<String[]> bounds) {
		Timestamp now = now();
		List<Object[]> rows = new ArrayList<>();
		for (int i = 0; i < bounds.size(); i++) {
			rows.add(new Object[] { version, i + 1, bounds.get(i)[0], bounds.get(i)[1], now });
		}
		this.jdbc.batchUpdate("insert into " + this.table + " (version, range_number, after_key, last_key, status, "
				+ "records_processed, batches_done, updated_at) values (?, ?, ?, ?, 'WAITING', 0, 0, ?)", rows);
	}

	/**
	 * Make the FAILED ranges of a migration WAITING again, as a retry of it begins.
	 * @param version the migration's version
	 */
	public void retryFailed(String version) {
		this.jdbc.update("update " + this.table + " set status = 'WAITING', error = null, owner_token = null, "
				+ "updated_at = ? where version = ? and status = 'FAILED'", now(), version);
	}

	/**
	 * Claim a range of a migration that is waiting, or whose worker's lease expired, for a worker.
	 * @param version the migration's version
	 * @param ownerToken the worker's token
	 * @param executedBy the worker's host and process
	 * @param lease how long the claim lasts without renewal
	 * @return the claimed range, or empty when none is free
	 */
	public Optional<KeyRange> claim(String version, String ownerToken, String executedBy, Duration lease) {
		String skipLocked = this.database.skipLocked();
		return Optional.ofNullable(this.claims.execute((status) -> {
			Timestamp now = now();
			List<Integer> candidates = this.jdbc.queryForList(
					"select range_number from " + this.table + " where " + CLAIMABLE + " order by range_number"
							+ ((skipLocked != null) ? " limit 1 " + skipLocked : ""),
					Integer.class, version, now);
			for (Integer number : candidates) {
				int claimed = this.jdbc.update("update " + this.table + " set status = 'RUNNING', owner_token = ?, "
						+ "executed_by = ?, lease_until = ?, updated_at = ? where " + CLAIMABLE + " and range_number = ?",
						ownerToken, executedBy, Timestamp.from(now.toInstant().plus(lease)), now, version, now, number);
				if (claimed == 1) {
					return find(version).get(number - 1);
				}
			}
			return null;
		}));
	}

	/**
	 * Record a batch of a range, in the batch's transaction.
	 * @param range the range
	 * @param ownerToken the worker's token
	 * @param checkpoint the batch's last key
	 * @param records records the batch processed
	 * @param lease how long the range's lease lasts from now
	 * @return whether the worker still owns the range: if not, the batch must roll back
	 */
	public boolean recordBatch(KeyRange range, String ownerToken, String checkpoint, long records, Duration lease) {
		Instant now = Instant.now();
		return this.jdbc.update("update " + this.table + " set checkpoint = ?, records_processed = records_processed + ?, "
				+ "batches_done = batches_done + 1, lease_until = ?, updated_at = ? " + owned(), checkpoint, records,
				Timestamp.from(now.plus(lease)), Timestamp.from(now), range.version(), range.number(), ownerToken) == 1;
	}

	/**
	 * Whether a migration is RUNNING, read in the current transaction if one is active.
	 * @param version the migration's version
	 * @return whether it runs
	 */
	public boolean isRunning(String version) {
		return List.of("RUNNING")
			.equals(this.jdbc.queryForList("select status from " + this.history + " where version = ?", String.class,
					version));
	}

	/**
	 * Renew a worker's lease on its range.
	 * @param range the range
	 * @param ownerToken the worker's token
	 * @param lease how long the lease lasts from now
	 * @return whether the worker still owns the range
	 */
	public boolean renew(KeyRange range, String ownerToken, Duration lease) {
		return this.jdbc.update("update " + this.table + " set lease_until = ? " + owned(),
				Timestamp.from(Instant.now().plus(lease)), range.version(), range.number(), ownerToken) == 1;
	}

	/**
	 * End a worker's claim on its range: DONE, with its upper bound as checkpoint, once walked to its end;
	 * else WAITING for the next worker, from its checkpoint.
	 * @param range the range
	 * @param ownerToken the worker's token
	 * @param done whether the range was walked to its end
	 */
	public void release(KeyRange range, String ownerToken, boolean done) {
		this.jdbc.update("update " + this.table + " set status = ?, checkpoint = " + (done ? "last_key" : "checkpoint")
				+ ", owner_token = null, lease_until = null, updated_at = ? " + owned(), done ? "DONE" : "WAITING", now(),
				range.version(), range.number(), ownerToken);
	}

	/**
	 * Mark a worker's range FAILED with its error, which fails the migration.
	 * @param range the range
	 * @param ownerToken the worker's token
	 * @param error the error's message chain
	 */
	public void fail(KeyRange range, String ownerToken, String error) {
		String truncated = (error.length() > MAX_ERROR_LENGTH) ? error.substring(0, MAX_ERROR_LENGTH) : error;
		this.jdbc.update("update " + this.table + " set status = 'FAILED', error = ?, owner_token = null, "
				+ "lease_until = null, updated_at = ? " + owned(), truncated, now(), range.version(), range.number(),
				ownerToken);
	}

	/**
	 * The versions of the migrations with a range that a worker may claim now.
	 * @return the versions
	 */
	public List<String> claimable() {
		return this.jdbc.queryForList("select distinct version from " + this.table
				+ " where status = 'WAITING' or (status = 'RUNNING' and lease_until < ?)", String.class, now());
	}

	private static String owned() {
		return "where version = ? and range_number = ? and owner_token = ? and status = 'RUNNING'";
	}

	private static Timestamp now() {
		return Timestamp.from(Instant.now());
	}

	private static KeyRange map(ResultSet rs, int row) throws SQLException {
		Timestamp lease = rs.getTimestamp("lease_until");
		return new KeyRange(rs.getString("version"), rs.getInt("range_number"), rs.getString("after_key"),
				rs.getString("last_key"), rs.getString("checkpoint"), rs.getLong("records_processed"),
				rs.getLong("batches_done"), rs.getString("status"), rs.getString("executed_by"),
				(lease != null) ? lease.toInstant() : null, rs.getString("error"));
	}

	/**
	 * One range of a parallel walk.
	 *
	 * @param version the migration's version
	 * @param number its number, from 1 in key order
	 * @param after its exclusive lower bound, or {@code null} for the first range
	 * @param last its inclusive upper bound
	 * @param checkpoint the last key of its last committed batch, or {@code null}
	 * @param recordsProcessed records its batches processed
	 * @param batchesDone batches committed
	 * @param status WAITING, RUNNING, DONE or FAILED
	 * @param executedBy the host and process of its last worker
	 * @param leaseUntil when its worker's lease ends, while one owns it
	 * @param error why it failed
	 */
	public record KeyRange(String version, int number, @Nullable String after, String last, @Nullable String checkpoint,
			long recordsProcessed, long batchesDone, String status, @Nullable String executedBy,
			@Nullable Instant leaseUntil, @Nullable String error) {

		/**
		 * Where a worker starts: after the checkpoint, else after the lower bound.
		 * @return the key to start after, or {@code null} to start from the first
		 */
		public @Nullable String resumeAfter() {
			return (this.checkpoint != null) ? this.checkpoint : this.after;
		}

		/**
		 * Whether a live worker walks the range.
		 * @param now the time to ask at
		 * @return whether it is RUNNING under a lease that lasts
		 */
		boolean isWalkedAt(Instant now) {
			return "RUNNING".equals(this.status) && this.leaseUntil != null && this.leaseUntil.isAfter(now);
		}

	}

}
