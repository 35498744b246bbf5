package dev.datamigrate.lock;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * A MariaDB or MySQL named lock ({@code GET_LOCK}), held by the session, named after the history
 * table and the database.
 */
public class MariaDbNamedLock extends SessionLock {

	private final String table;

	/**
	 * Create the lock of a history table.
	 * @param dataSource the data source
	 * @param table the history table
	 */
	public MariaDbNamedLock(DataSource dataSource, String table) {
		super(dataSource);
		this.table = table;
	}

	private String name(Connection connection) throws SQLException {
		String name = "data-migrate." + connection.getCatalog() + "." + this.table;
		return (name.length() > 64) ? name.substring(0, 64) : name;
	}

	@Override
	boolean tryLock(Connection connection) throws SQLException {
		return queryBoolean(connection, "select coalesce(get_lock(?, 0), 0)", name(connection));
	}

	@Override
	boolean holds(Connection connection) throws SQLException {
		return queryBoolean(connection, "select coalesce(is_used_lock(?) = connection_id(), 0)", name(connection));
	}

	@Override
	void unlock(Connection connection) throws SQLException {
		queryBoolean(connection, "select release_lock(?)", name(connection));
	}

}
