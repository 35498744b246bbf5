package dev.datamigrate.history;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.datamigrate.MigrationStatus;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.SqlProvider;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

/**
 * The history table: one row per migration version. Writes made while a transaction is active join
 * it, so a migration's work and its record commit together; a batch's statement, if the starter runs
 * it, goes with the batch's record. Writes on behalf of a run are guarded by the run's owner token and
 * report whether they still owned the row.
 */
public class MigrationHistory {

	private static final String COLUMNS = "version, description, class_name, status, attempts, started_at, "
			+ "finished_at, duration_ms, records_total, records_processed, batches_done, checkpoint, error, "
			+ "executed_by, triggered_by, owner_token, updated_at";

	private static final int MAX_ERROR_LENGTH = 4000;

	private static final String DIVISION_BY_ZERO = "22012";

	private final JdbcTemplate jdbc;

	private final String table;

	private final HistoryDialect dialect;

	private final boolean joinsStatements;

	private final boolean loops;

	/**
	 * Create the history of a data source, whose connections it takes outside a transaction in auto-commit
	 * mode, whatever the pool's default.
	 * @param dataSource the application's data source
	 * @param table the validated table name
	 */
	public MigrationHistory(DataSource dataSource, String table) {
		this.jdbc = new JdbcTemplate(new AutoCommitDataSource(dataSource));
		this.table = table;
		Database database = this.jdbc
			.execute((ConnectionCallback<Database>) (connection) -> Database.of(connection.getMetaData()));
		this.dialect = database.dialect();
		this.joinsStatements = database.joinsStatements();
		this.loops = database.loops();
	}

	/**
	 * The dialect of the database.
	 * @return the dialect
	 */
	public HistoryDialect dialect() {
		return this.dialect;
	}

	/**
	 * The table name.
	 * @return the table name
	 */
	public String table() {
		return this.table;
	}

	/**
	 * Whether the table exists, as the connection's metadata sees it in the current schema, or in the
	 * schema the table name is qualified with.
	 * @return whether it exists
	 */
	public boolean exists() {
		return Boolean.TRUE.equals(this.jdbc.execute((ConnectionCallback<Boolean>) this::exists));
	}

	private boolean exists(Connection connection) throws SQLException {
		DatabaseMetaData metaData = connection.getMetaData();
		int dot = this.table.indexOf('.');
		String schema = (dot > 0) ? this.table.substring(0, dot) : null;
		String name = this.table.substring(dot + 1);
		String catalog = connection.getCatalog();
		if (this.dialect.schemasAreCatalogs()) {
			catalog = (schema != null) ? schema : catalog;
			schema = null;
		}
		else if (schema == null) {
			schema = connection.getSchema();
		}
		try (ResultSet tables = metaData.getTables(catalog, pattern(metaData, schema), pattern(metaData, name),
				null)) {
			return tables.next();
		}
	}

	private static String pattern(DatabaseMetaData metaData, String identifier) throws SQLException {
		if (identifier == null) {
			return null;
		}
		String stored = metaData.storesUpperCaseIdentifiers() ? identifier.toUpperCase(Locale.ROOT)
				: metaData.storesLowerCaseIdentifiers() ? identifier.toLowerCase(Locale.ROOT) : identifier;
		String escape = metaData.getSearchStringEscape();
		return stored.replace("_", escape + "_");
	}

	/**
	 * Create the table unless it exists. Call it while holding the lock, so instances do not race.
	 */
	public void createIfAbsent() {
		if (!exists()) {
			this.jdbc.execute(this.dialect.createTable(this.table));
		}
	}

	/**
	 * Every row, in no particular order; none when the table does not exist yet.
	 * @return the rows
	 */
	public List<HistoryRecord> findAll() {
		if (!exists()) {
			return List.of();
		}
		return this.jdbc.query("select " + COLUMNS + " from " + this.table, this::map);
	}

	/**
	 * The row of a version.
	 * @param version the version as written
	 * @return the row
	 */
	public Optional<HistoryRecord> find(String version) {
		return this.jdbc.query("select " + COLUMNS + " from " + this.table + " where version = ?", this::map, version)
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
			String className, String ownerToken, String executedBy, String triggeredBy) {
		Timestamp now = now();
		int claimed = this.jdbc.update("update " + this.table + " set status = ?, description = ?, class_name = ?, "
				+ "attempts = attempts + 1, started_at = ?, finished_at = null, duration_ms = null, error = null, "
				+ "executed_by = ?, triggered_by = ?, owner_token = ?, updated_at = ? where version = ? and status in ("
				+ states(from) + ")", MigrationStatus.RUNNING.name(), description, className, now, executedBy,
				triggeredBy, ownerToken, now, version);
		return (claimed == 1) ? find(version) : Optional.empty();
	}

	/**
	 * Record the total number of records of a migration, unless one is recorded, while the run that counted
	 * them owns it, paused or not: a total counted beside the first batches may end after a pause.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @param total the total
	 * @return whether it was recorded: not when one is, or when the run no longer owns the migration
	 */
	public boolean recordTotal(String version, String ownerToken, long total) {
		return this.jdbc.update("update " + this.table + " set records_total = ?, updated_at = ? where version = ? "
				+ "and owner_token = ? and status in ('RUNNING', 'PAUSED') and records_total is null", total, now(),
				version, ownerToken) == 1;
	}

	/**
	 * Record a batch in its transaction: its checkpoint and counters, after the commit setting and the
	 * statement that does its work, if the starter runs it. Where the driver
	 * {@link HistoryDialect#joinsStatements joins statements}, all of them go to the database in one round
	 * trip.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @param checkpoint the last key of the batch
	 * @param records records in the batch
	 * @param asynchronousCommit whether the batch's transaction may commit without waiting for the disk
	 * flush, where the database allows it per transaction
	 * @param work the statement that does the batch's work, or {@code null} when a handler has done it
	 * @return the rows the statement changed (0 without one), or empty when the run no longer owns the
	 * migration: the batch must then roll back
	 * @throws InvalidDataAccessApiUsageException when the statement returns rows: the batch must then roll
	 * back
	 */
	public OptionalLong recordBatch(String version, String ownerToken, String checkpoint, long records,
			boolean asynchronousCommit, BoundStatement work) {
		List<BoundStatement> statements = new ArrayList<>(3);
		String commitSetting = asynchronousCommit ? this.dialect.asynchronousCommit() : null;
		if (commitSetting != null) {
			statements.add(BoundStatement.of(commitSetting));
		}
		if (work != null) {
			statements.add(work);
		}
		statements.add(batchRecord(version, ownerToken, checkpoint, records));
		List<Integer> counts = this.joinsStatements ? execute(joined(statements), work)
				: statements.stream().flatMap((statement) -> execute(statement, work).stream()).toList();
		// the record's is the last: a work statement of several statements has a result for each
		int recordIndex = counts.size() - 1;
		if (counts.get(recordIndex) != 1) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(counts.subList((commitSetting != null) ? 1 : 0, recordIndex)
			.stream()
			.mapToLong(Integer::longValue)
			.sum());
	}

	/**
	 * Whether {@link #commitBatch} may be used: the driver {@link HistoryDialect#joinsStatements joins
	 * statements}.
	 * @return whether a batch's statement and record can commit in the round trip that sends them
	 */
	public boolean commitsBatchesAlone() {
		return this.joinsStatements;
	}

	/**
	 * Record a batch and do its work in a transaction that commits in the round trip that sends them,
	 * then read what the next batch needs, where {@link #commitsBatchesAlone()}: the commit setting, the
	 * record, which fails the transaction when the run no longer owns the migration, the statement, the
	 * commit, the query. Call it outside any transaction.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @param checkpoint the last key of the batch
	 * @param records records in the batch
	 * @param asynchronousCommit whether the transaction may commit without waiting for the disk flush
	 * @param work the statement that does the batch's work
	 * @param read a query run once the batch has committed
	 * @return the rows the statement changed and the query's rows, or empty when the run no
	 * longer owns the migration: nothing was committed
	 * @throws InvalidDataAccessApiUsageException when the statement returns rows, which is seen only once
	 * the batch has committed
	 */
	public Optional<BatchCommit> commitBatch(String version, String ownerToken, String checkpoint, long records,
			boolean asynchronousCommit, BoundStatement work, BoundStatement read) {
		Assert.state(this.joinsStatements, "Only a driver that joins statements commits a batch alone");
		Assert.state(!TransactionSynchronizationManager.isActualTransactionActive(),
				"A batch that commits alone must not run in a transaction, which it would commit");
		// a transaction block, not the implicit transaction of one round trip: PgJDBC ends that round trip
		// early, committing what it sent so far, before a statement whose rows it cannot size
		List<BoundStatement> statements = new ArrayList<>(6);
		statements.add(BoundStatement.of("begin"));
		String commitSetting = asynchronousCommit ? this.dialect.asynchronousCommit() : null;
		if (commitSetting != null) {
			statements.add(BoundStatement.of(commitSetting));
		}
		// the record in a query that divides by the rows it updated, so that it can fail the transaction
		statements.add(batchRecord(version, ownerToken, checkpoint, records)
			.around("with recorded as (", " returning 1) select 1 / count(*) from recorded"));
		int throughRecord = statements.size();
		statements.add(work);
		statements.add(BoundStatement.of("commit"));
		statements.add(read);
		BoundStatement statement = joined(statements);
		try {
			return Optional.of(this.jdbc.execute(new WrittenStatement(statement),
					(PreparedStatementCallback<BatchCommit>) (sent) -> commitAlone(sent, statement, throughRecord,
							work)));
		}
		catch (DataAccessException ex) {
			if (lostOwnership(ex, version, ownerToken)) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	/**
	 * Whether {@link #commitLoop} may be used: the driver {@link HistoryDialect#joinsStatements joins
	 * statements} and the database {@link HistoryDialect#commitsInDo commits in a DO block}.
	 * @return whether the database can run a walk's batches itself
	 */
	public boolean loopsBatches() {
		return this.loops;
	}

	/**
	 * Run batches in the database, one after the other, each committing alone with its record, until the
	 * loop's budget is spent or the walk runs out of keys, where the history {@link #loopsBatches() loops
	 * batches}. Call it outside any transaction.
	 * @param version the version
	 * @param ownerToken the run's token
	 * @param asynchronousCommit whether the batches may commit without waiting for the disk flush
	 * @param loop the batches
	 * @param committed told of each batch that committed, before this returns or throws
	 * @return whether the walk has run out of keys, or empty when the run no longer owns the migration:
	 * the batch that found it out rolled back
	 */
	public Optional<Boolean> commitLoop(String version, String ownerToken, boolean asynchronousCommit, BatchLoop loop,
			Consumer<LoopedBatch> committed) {
		Assert.state(this.loops, "Only PostgreSQL 11 or later, with PgJDBC, runs a batch loop");
		Assert.state(!TransactionSynchronizationManager.isActualTransactionActive(),
				"A batch loop commits its batches, so it must not run in a transaction");
		BoundStatement record = batchRecord(version, ownerToken, DatabaseLoop.LAST_KEY, DatabaseLoop.SIZE,
				DatabaseLoop.NOW);
		try {
			return Optional.of(this.jdbc.execute(new LoopCallback(loop, record, asynchronousCommit, committed)));
		}
		catch (DataAccessException ex) {
			if (ex.getMostSpecificCause() instanceof SQLException cause
					&& DatabaseLoop.LOST_OWNERSHIP.equals(cause.getSQLState())) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	private boolean lostOwnership(DataAccessException ex, String version, String ownerToken) {
		if (!(ex.getMostSpecificCause() instanceof SQLException cause) || !DIVISION_BY_ZERO.equals(cause.getSQLState())) {
			return false;
		}
		try {
			return !isOwnedBy(version, ownerToken);
		}
		catch (RuntimeException check) {
			ex.addSuppressed(check);
			return false;
		}
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
	 * Send a batch's transaction block and the query after it, on a connection in auto-commit mode, and walk
	 * their results from the record's on; a failed block is rolled back.
	 */
	private static BatchCommit commitAlone(PreparedStatement sent, BoundStatement statement, int throughRecord,
			BoundStatement work) throws SQLException {
		new ArgumentPreparedStatementSetter(statement.args().toArray()).setValues(sent);
		Connection connection = sent.getConnection();
		try {
			sent.execute();
			for (int result = 1; result < throughRecord; result++) {
				sent.getMoreResults();
			}
			List<Integer> counts = new ArrayList<>();
			List<List<Object>> read = null;
			for (boolean rows = sent.getMoreResults(); rows || sent.getUpdateCount() != -1; rows = sent
				.getMoreResults()) {
				if (read != null) {
					throw returnedRows(work);
				}
				if (rows) {
					read = rows(sent.getResultSet());
				}
				else {
					counts.add(sent.getUpdateCount());
				}
			}
			Assert.state(read != null, "The query after a batch's transaction returned nothing");
			// the last count is the commit's
			return new BatchCommit(counts.subList(0, counts.size() - 1).stream().mapToLong(Integer::longValue).sum(),
					read);
		}
		catch (SQLException | RuntimeException ex) {
			rollBack(connection, ex);
			throw ex;
		}
	}

	/**
	 * End a batch's transaction block that an error left open, which auto-commit mode does not do.
	 */
	private static void rollBack(Connection connection, Exception failure) {
		try (Statement rollback = connection.createStatement()) {
			rollback.execute("rollback");
		}
		catch (SQLException ex) {
			failure.addSuppressed(ex);
		}
	}

	private static List<List<Object>> rows(ResultSet rows) throws SQLException {
		try (rows) {
			int columns = rows.getMetaData().getColumnCount();
			List<List<Object>> values = new ArrayList<>();
			while (rows.next()) {
				List<Object> row = new ArrayList<>(columns);
				for (int column = 1; column <= columns; column++) {
					row.add(rows.getObject(column));
				}
				values.add(row);
			}
			return values;
		}
	}

	private BoundStatement batchRecord(String version, String ownerToken, String checkpoint, long records) {
		return batchRecord(version, ownerToken, checkpoint, records, now());
	}

	/**
	 * A batch's record, whose values may be {@link DatabaseLoop.Expression expressions} of a database loop.
	 */
	private BoundStatement batchRecord(String version, String ownerToken, Object checkpoint, Object records,
			Object updatedAt) {
		return BoundStatement.of("update " + this.table + " set checkpoint = ?, "
				+ "records_processed = records_processed + ?, batches_done = batches_done + 1, updated_at = ? "
				+ owned(), checkpoint, records, updatedAt, version, ownerToken);
	}

	private static BoundStatement joined(List<BoundStatement> statements) {
		// each on a line of its own, so that a line comment ending one does not hide the next
		String sql = statements.stream().map(BoundStatement::sql).collect(Collectors.joining("\n; "));
		List<Object> args = statements.stream().flatMap((statement) -> statement.args().stream()).toList();
		String written = statements.stream().map(BoundStatement::written).collect(Collectors.joining("; "));
		return new BoundStatement(sql, args, written);
	}

	/**
	 * The update count of each of a statement's results; an error names the statement as written, and a
	 * result with rows the work's statement.
	 */
	private List<Integer> execute(BoundStatement statement, BoundStatement work) {
		return this.jdbc.execute(new WrittenStatement(statement), (PreparedStatementCallback<List<Integer>>) (sent) -> {
			new ArgumentPreparedStatementSetter(statement.args().toArray()).setValues(sent);
			List<Integer> counts = new ArrayList<>();
			for (boolean rows = sent.execute(); rows || sent.getUpdateCount() != -1; rows = sent.getMoreResults()) {
				if (rows) {
					throw returnedRows(work);
				}
				counts.add(sent.getUpdateCount());
			}
			return counts;
		});
	}

	private static InvalidDataAccessApiUsageException returnedRows(BoundStatement work) {
		return new InvalidDataAccessApiUsageException(
				"A batch statement returned rows; it must only change them: " + work.written());
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
	 * @return whether the run still owns the migration
	 */
	public boolean recordProgress(String version, String ownerToken, long processed, Long total) {
		return this.jdbc.update("update " + this.table + " set records_processed = ?, records_total = ?, updated_at = ? "
				+ owned(), processed, total, now(), version, ownerToken) == 1;
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
	public boolean succeed(String version, String ownerToken, Instant startedAt, String checkpoint) {
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
	public boolean transition(String version, Set<MigrationStatus> from, MigrationStatus to, String triggeredBy) {
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

	private HistoryRecord map(ResultSet rs, int row) throws SQLException {
		return new HistoryRecord(rs.getString("version"), rs.getString("description"), rs.getString("class_name"),
				MigrationStatus.valueOf(rs.getString("status")), rs.getInt("attempts"), instant(rs, "started_at"),
				instant(rs, "finished_at"), nullableLong(rs, "duration_ms"), nullableLong(rs, "records_total"),
				rs.getLong("records_processed"), rs.getLong("batches_done"), rs.getString("checkpoint"),
				rs.getString("error"), rs.getString("executed_by"), rs.getString("triggered_by"),
				rs.getString("owner_token"), instant(rs, "updated_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static Long nullableLong(ResultSet rs, String column) throws SQLException {
		long value = rs.getLong(column);
		return rs.wasNull() ? null : value;
	}

	/**
	 * What the metadata of a connection tells about its database and driver, read on one connection.
	 */
	private record Database(HistoryDialect dialect, boolean joinsStatements, boolean loops) {

		static Database of(DatabaseMetaData metaData) throws SQLException {
			HistoryDialect dialect = HistoryDialect.of(metaData);
			boolean joinsStatements = dialect.joinsStatements(metaData);
			return new Database(dialect, joinsStatements,
					joinsStatements && dialect.commitsInDo(metaData.getDatabaseMajorVersion()));
		}

	}

	/**
	 * Runs a loop, named in errors by its work statement as written.
	 */
	private record LoopCallback(BatchLoop loop, BoundStatement record, boolean asynchronousCommit,
			Consumer<LoopedBatch> committed) implements ConnectionCallback<Boolean>, SqlProvider {

		@Override
		public Boolean doInConnection(Connection connection) throws SQLException {
			return DatabaseLoop.run(connection, this.loop, this.record, this.asynchronousCommit, this.committed);
		}

		@Override
		public String getSql() {
			return this.loop.work().written();
		}

	}

	/**
	 * Prepares a statement, and gives JdbcTemplate's error messages the statement as its author wrote it.
	 */
	private record WrittenStatement(BoundStatement statement) implements PreparedStatementCreator, SqlProvider {

		@Override
		public PreparedStatement createPreparedStatement(Connection connection) throws SQLException {
			return connection.prepareStatement(this.statement.sql());
		}

		@Override
		public String getSql() {
			return this.statement.written();
		}

	}

}
