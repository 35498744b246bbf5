package dev.datamigrate.liquibase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import liquibase.GlobalConfiguration;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.core.MySQLDatabase;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.exception.LockException;
import liquibase.lockservice.DatabaseChangeLogLock;
import liquibase.lockservice.LockService;
import org.jspecify.annotations.Nullable;

/**
 * Liquibase's changelog lock as a lock of the database session (PostgreSQL advisory lock, MariaDB and
 * MySQL {@code GET_LOCK}) instead of a row of its lock table: instances queue for it, and one that is
 * killed leaves nothing to unlock. Liquibase finds it through {@code ServiceLoader} and prefers it to
 * its own on these databases while {@code data-migrate.liquibase.session-lock} is true. A waiting
 * instance tries every second, up to {@code liquibase.changelogLockWaitTimeInMinutes}. On PostgreSQL 14
 * and later the holder's session checks every second that its client is still there
 * ({@code client_connection_check_interval}), so that a killed instance's statement does not keep the
 * lock until it ends.
 */
public class SessionLockService implements LockService {

	/** Per JVM: Liquibase creates its lock services itself, so there is no bean to configure. */
	private static volatile boolean enabled = true;

	private Database database;

	private boolean locked;

	private Long waitMinutes;

	/** The holder's {@code client_connection_check_interval} before it took the lock, to put back. */
	private @Nullable String connectionCheck;

	static void setEnabled(boolean enabled) {
		SessionLockService.enabled = enabled;
	}

	@Override
	public int getPriority() {
		return PRIORITY_DATABASE;
	}

	@Override
	public boolean supports(Database database) {
		// MariaDBDatabase is a MySQLDatabase
		return enabled && (database instanceof PostgresDatabase || database instanceof MySQLDatabase);
	}

	@Override
	public void setDatabase(Database database) {
		this.database = database;
	}

	@Override
	public void setChangeLogLockWaitTime(long minutes) {
		this.waitMinutes = minutes;
	}

	@Override
	public void setChangeLogLockRecheckTime(long seconds) {
		// a try costs one query: every second, so that the next instance goes on as soon as the lock is free
	}

	@Override
	public boolean hasChangeLogLock() {
		return this.locked;
	}

	@Override
	public void waitForLock() throws LockException {
		long wait = (this.waitMinutes != null) ? this.waitMinutes
				: GlobalConfiguration.CHANGELOGLOCK_WAIT_TIME.getCurrentValue();
		long deadline = System.nanoTime() + wait * 60_000_000_000L;
		boolean logged = false;
		while (!acquireLock()) {
			if (System.nanoTime() - deadline >= 0) {
				throw new LockException("Could not acquire the session changelog lock " + name() + " within " + wait
						+ " minutes (liquibase.changelogLockWaitTimeInMinutes): another instance is applying the changelog");
			}
			if (!logged) {
				Scope.getCurrentScope().getLog(getClass()).info("Waiting for the session changelog lock " + name());
				logged = true;
			}
			try {
				Thread.sleep(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new LockException("Interrupted while waiting for the session changelog lock", ex);
			}
		}
	}

	@Override
	public boolean acquireLock() throws LockException {
		if (!this.locked) {
			this.locked = query(isPostgres() ? "select pg_try_advisory_lock(?)" : "select coalesce(get_lock(?, 0), 0)");
			if (this.locked && isPostgres()) {
				this.connectionCheck = setting("select current_setting('client_connection_check_interval', true)");
				if (this.connectionCheck != null) {
					setting("select set_config('client_connection_check_interval', ?, false)", "1s");
					// a rollback would undo the setting; Liquibase's own lock commits here too
					commit();
				}
			}
		}
		return this.locked;
	}

	@Override
	public void releaseLock() throws LockException {
		if (this.locked) {
			try {
				if (this.connectionCheck != null) {
					setting("select set_config('client_connection_check_interval', ?, false)", this.connectionCheck);
				}
				query(isPostgres() ? "select pg_advisory_unlock(?)" : "select release_lock(?)");
			}
			finally {
				this.locked = false;
				this.connectionCheck = null;
			}
		}
	}

	@Override
	public void forceReleaseLock() throws LockException {
		this.locked = true;
		releaseLock();
	}

	@Override
	public void reset() {
		try {
			releaseLock();
		}
		catch (LockException ex) {
			// the session is gone, and its lock with it
		}
	}

	@Override
	public void init() {
	}

	@Override
	public void destroy() {
		reset();
	}

	@Override
	public DatabaseChangeLogLock[] listLocks() {
		return new DatabaseChangeLogLock[0];
	}

	private boolean isPostgres() {
		return this.database instanceof PostgresDatabase;
	}

	/**
	 * Named after the lock table it stands in for, in its schema, so that two applications sharing a
	 * server queue only when they share a changelog table (MariaDB's names are at most 64 characters).
	 */
	private String name() {
		String name = "liquibase." + this.database.getDefaultCatalogName() + "." + this.database.getDefaultSchemaName()
				+ "." + this.database.getDatabaseChangeLogLockTableName();
		return (name.length() > 64) ? name.substring(0, 64) : name;
	}

	private @Nullable String setting(String sql, String... values) throws LockException {
		try (PreparedStatement statement = connection().prepareStatement(sql)) {
			for (int i = 0; i < values.length; i++) {
				statement.setString(i + 1, values[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				return result.next() ? result.getString(1) : null;
			}
		}
		catch (SQLException ex) {
			throw new LockException(ex);
		}
	}

	private void commit() throws LockException {
		try {
			this.database.commit();
		}
		catch (DatabaseException ex) {
			throw new LockException(ex);
		}
	}

	private Connection connection() {
		return ((JdbcConnection) this.database.getConnection()).getUnderlyingConnection();
	}

	private boolean query(String sql) throws LockException {
		Connection connection = connection();
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			if (isPostgres()) {
				// "LQBS" in the high bits keeps clear of the data migration lock's keys
				statement.setLong(1, (0x4c514253L << 32) | (name().hashCode() & 0xffffffffL));
			}
			else {
				statement.setString(1, name());
			}
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
		catch (SQLException ex) {
			throw new LockException(ex);
		}
	}

}
