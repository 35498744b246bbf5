package dev.datamigrate.lock;

import java.time.Duration;

import javax.sql.DataSource;

import dev.datamigrate.history.HistoryDialect;

/**
 * Chooses the lock that suits a database.
 */
public final class MigrationLocks {

	private MigrationLocks() {
	}

	/**
	 * The lock for a history table: an advisory lock on PostgreSQL, a named lock on MariaDB and MySQL,
	 * a lease row elsewhere.
	 * @param dataSource the data source
	 * @param dialect the database's dialect
	 * @param historyTable the history table
	 * @param leaseDuration how long a lease lasts without a heartbeat, where a lease is used
	 * @return the lock
	 */
	public static MigrationLock forDatabase(DataSource dataSource, HistoryDialect dialect, String historyTable,
			Duration leaseDuration) {
		return switch (dialect) {
			case POSTGRESQL -> new PostgresAdvisoryLock(dataSource, historyTable);
			case MARIADB -> new MariaDbNamedLock(dataSource, historyTable);
			default -> new LeaseLock(dataSource, dialect, historyTable, leaseDuration);
		};
	}

}
