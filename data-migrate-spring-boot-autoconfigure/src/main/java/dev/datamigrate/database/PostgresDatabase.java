package dev.datamigrate.database;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import dev.datamigrate.lock.MigrationLock;
import dev.datamigrate.throttle.BuiltInChecks;
import dev.datamigrate.throttle.ThrottleCheck;
import dev.datamigrate.throttle.ThrottleSettings;
import dev.datamigrate.lock.PostgresAdvisoryLock;

import org.springframework.scheduling.TaskScheduler;

/**
 * PostgreSQL: a session advisory lock, and limits set with {@code set_config(..., true)}, which end with
 * the transaction.
 */
final class PostgresDatabase extends Database {

	@Override
	protected String longText() {
		return "text";
	}

	@Override
	protected String timestamp() {
		return "timestamp with time zone";
	}

	/**
	 * The catalog's own columns: PgJDBC's metadata query of them costs a connection's first call about ten
	 * round trips.
	 */
	@Override
	public String columnsQuery() {
		return "select a.attname from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid "
				+ "join pg_catalog.pg_namespace n on n.oid = c.relnamespace where c.relname = ? "
				+ "and n.nspname = coalesce(nullif(?, ''), current_schema()) and a.attnum > 0 and not a.attisdropped";
	}

	@Override
	public boolean hasSessionLocks() {
		return true;
	}

	@Override
	public MigrationLock lock(DataSource dataSource, String historyTable, Duration leaseDuration,
			TaskScheduler heartbeats) {
		return new PostgresAdvisoryLock(dataSource, historyTable);
	}

	@Override
	public String skipLocked() {
		return "for update skip locked";
	}

	@Override
	public String limitTransaction(Duration lockTimeout, Duration statementTimeout, boolean asynchronousCommit) {
		return "select set_config('lock_timeout', '" + lockTimeout.toMillis() + "ms', true), "
				+ "set_config('statement_timeout', '" + statementTimeout.toMillis() + "ms', true)"
				+ (asynchronousCommit ? ", set_config('synchronous_commit', 'off', true)" : "");
	}

	@Override
	public List<ThrottleCheck> throttleChecks(DataSource dataSource, ThrottleSettings settings) {
		return BuiltInChecks.postgres(dataSource, settings);
	}

}
