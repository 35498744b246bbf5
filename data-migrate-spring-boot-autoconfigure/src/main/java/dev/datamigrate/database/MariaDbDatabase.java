package dev.datamigrate.database;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import dev.datamigrate.lock.MariaDbNamedLock;
import dev.datamigrate.lock.MigrationLock;
import dev.datamigrate.throttle.BuiltInChecks;
import dev.datamigrate.throttle.ThrottleCheck;
import dev.datamigrate.throttle.ThrottleSettings;

import org.springframework.scheduling.TaskScheduler;

/**
 * MariaDB and MySQL: a named lock ({@code GET_LOCK}), and limits that are session variables, so the
 * session's own values are kept in user variables and put back before the transaction ends.
 */
final class MariaDbDatabase extends Database {

	/** MySQL limits a statement's time with {@code max_execution_time} (ms), MariaDB {@code max_statement_time} (s). */
	private final boolean mysql;

	MariaDbDatabase(boolean mysql) {
		this.mysql = mysql;
	}

	@Override
	protected String longText() {
		return "text";
	}

	/** {@code datetime(3)}, since {@code timestamp} ends in 2038 and updates itself. */
	@Override
	protected String timestamp() {
		return "datetime(3)";
	}

	@Override
	public boolean schemasAreCatalogs() {
		return true;
	}

	@Override
	public boolean hasSessionLocks() {
		return true;
	}

	@Override
	public MigrationLock lock(DataSource dataSource, String historyTable, Duration leaseDuration,
			TaskScheduler heartbeats) {
		return new MariaDbNamedLock(dataSource, historyTable);
	}

	@Override
	public String skipLocked() {
		return "for update skip locked";
	}

	@Override
	public String limitTransaction(Duration lockTimeout, Duration statementTimeout, boolean asynchronousCommit) {
		// innodb_lock_wait_timeout counts whole seconds, at least 1
		long lockSeconds = Math.max(1, (lockTimeout.toMillis() + 999) / 1000);
		String statementTime = this.mysql ? String.valueOf(statementTimeout.toMillis())
				: String.format("%.3f", statementTimeout.toMillis() / 1000.0);
		return "set @dm_lock_wait = @@session.innodb_lock_wait_timeout, @dm_statement_time = @@session."
				+ statementTimeVariable() + ", session innodb_lock_wait_timeout = " + lockSeconds + ", session "
				+ statementTimeVariable() + " = " + statementTime;
	}

	@Override
	public String restoreSession() {
		return "set session innodb_lock_wait_timeout = @dm_lock_wait, session " + statementTimeVariable()
				+ " = @dm_statement_time";
	}

	private String statementTimeVariable() {
		return this.mysql ? "max_execution_time" : "max_statement_time";
	}

	@Override
	public List<ThrottleCheck> throttleChecks(DataSource dataSource, ThrottleSettings settings) {
		return BuiltInChecks.mariaDb(dataSource, settings);
	}

}
