package dev.datamigrate.history;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * How each database spells the history table, and what its driver takes at once. Everything else the
 * starter sends is portable SQL.
 */
public enum HistoryDialect {

	/** PostgreSQL. */
	POSTGRESQL("varchar", "text", "bigint", "timestamp with time zone"),

	/** MariaDB and MySQL: {@code datetime(3)}, since {@code timestamp} ends in 2038 and updates itself. */
	MARIADB("varchar", "text", "bigint", "datetime(3)"),

	/** H2. */
	H2("varchar", "clob", "bigint", "timestamp with time zone"),

	/** Any other database, in standard SQL types. */
	GENERIC("varchar", "varchar(4000)", "bigint", "timestamp");

	private final String varchar;

	private final String longText;

	private final String bigint;

	private final String timestamp;

	HistoryDialect(String varchar, String longText, String bigint, String timestamp) {
		this.varchar = varchar;
		this.longText = longText;
		this.bigint = bigint;
		this.timestamp = timestamp;
	}

	/**
	 * The dialect of a database, from its product name.
	 * @param metaData the connection's metadata
	 * @return the dialect
	 * @throws SQLException if the metadata cannot be read
	 */
	public static HistoryDialect of(DatabaseMetaData metaData) throws SQLException {
		String product = metaData.getDatabaseProductName().toLowerCase(Locale.ROOT);
		if (product.contains("postgres")) {
			return POSTGRESQL;
		}
		if (product.contains("mariadb") || product.contains("mysql")) {
			return MARIADB;
		}
		if (product.contains("h2")) {
			return H2;
		}
		return GENERIC;
	}

	/**
	 * Whether the database calls its schemas catalogs, as MariaDB and MySQL do.
	 * @return whether a schema-qualified name names a catalog
	 */
	public boolean schemasAreCatalogs() {
		return this == MARIADB;
	}

	/**
	 * Whether the driver takes several statements, separated by {@code ;}, in one prepared statement,
	 * sends them in one round trip and returns each one's result in order, as PgJDBC does. A batch's
	 * statements then travel together.
	 * @param metaData the connection's metadata, which names the driver
	 * @return whether a batch's statements may be joined
	 * @throws SQLException if the metadata cannot be read
	 */
	public boolean joinsStatements(DatabaseMetaData metaData) throws SQLException {
		return this == POSTGRESQL && "PostgreSQL JDBC Driver".equals(metaData.getDriverName());
	}

	/**
	 * Whether a PL/pgSQL {@code DO} block may commit, as PostgreSQL's may from version 11 on.
	 * @param majorVersion the database's major version
	 * @return whether it may
	 */
	public boolean commitsInDo(int majorVersion) {
		return this == POSTGRESQL && majorVersion >= 11;
	}

	/**
	 * Whether a repeatable read transaction takes its snapshot at its first statement, whatever it reads,
	 * as PostgreSQL's does.
	 * @return whether it does
	 */
	public boolean snapshotsAtFirstStatement() {
		return this == POSTGRESQL;
	}

	/**
	 * The statement that lets the current transaction commit without waiting for the disk flush, or
	 * {@code null} where the database has none per transaction. It may run anywhere before the commit and
	 * returns no rows.
	 * @return the statement or {@code null}
	 */
	public String asynchronousCommit() {
		return (this == POSTGRESQL) ? "set local synchronous_commit = off" : null;
	}

	/**
	 * DDL of the history table.
	 * @param table the table name
	 * @return the statement
	 */
	public String createTable(String table) {
		return "create table if not exists " + table + " (" //
				+ "version " + this.varchar + "(100) not null primary key, " //
				+ "description " + this.varchar + "(1000), " //
				+ "class_name " + this.varchar + "(500), " //
				+ "status " + this.varchar + "(20) not null, " //
				+ "attempts integer default 0 not null, " //
				+ "started_at " + this.timestamp + ", " //
				+ "finished_at " + this.timestamp + ", " //
				+ "duration_ms " + this.bigint + ", " //
				+ "records_total " + this.bigint + ", " //
				+ "records_processed " + this.bigint + " default 0 not null, " //
				+ "batches_done " + this.bigint + " default 0 not null, " //
				+ "checkpoint " + this.varchar + "(1000), " //
				+ "error " + this.longText + ", " //
				+ "executed_by " + this.varchar + "(255), " //
				+ "triggered_by " + this.varchar + "(255), " //
				+ "owner_token " + this.varchar + "(64), " //
				+ "updated_at " + this.timestamp + ")";
	}

	/**
	 * DDL of the lease table used as the lock on databases without a session lock.
	 * @param table the table name
	 * @return the statement
	 */
	public String createLeaseTable(String table) {
		return "create table if not exists " + table + " (" //
				+ "lock_name " + this.varchar + "(100) not null primary key, " //
				+ "owner_token " + this.varchar + "(64), " //
				+ "expires_at " + this.timestamp + ")";
	}

}
