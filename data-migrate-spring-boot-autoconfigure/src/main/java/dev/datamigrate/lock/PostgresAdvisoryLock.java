package dev.datamigrate.lock;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * A PostgreSQL session-level advisory lock, keyed by the history table's name.
 */
public class PostgresAdvisoryLock extends SessionLock {

	/** The first key of the two-key advisory lock: "DMIG". */
	private static final int NAMESPACE = 0x444D4947;

	private final String table;

	/**
	 * Create the lock of a history table.
	 * @param dataSource the data source
	 * @param table the history table
	 */
	public PostgresAdvisoryLock(DataSource dataSource, String table) {
		super(dataSource);
		this.table = table.toLowerCase();
	}

	/**
	 * The second key: the table qualified by database and schema, so applications sharing a server but
	 * not a history table do not wait for each other.
	 */
	private int key(Connection connection) throws SQLException {
		String qualified = this.table.contains(".") ? this.table : connection.getSchema() + "." + this.table;
		return (connection.getCatalog() + "." + qualified).hashCode();
	}

	@Override
	boolean tryLock(Connection connection) throws SQLException {
		return queryBoolean(connection, "select pg_try_advisory_lock(?, ?)", NAMESPACE, key(connection));
	}

	@Override
	boolean holds(Connection connection) throws SQLException {
		// a session lock lives as long as its session: a working connection still holds it
		return queryBoolean(connection, "select true");
	}

	@Override
	void unlock(Connection connection) throws SQLException {
		queryBoolean(connection, "select pg_advisory_unlock(?, ?)", NAMESPACE, key(connection));
	}

}
