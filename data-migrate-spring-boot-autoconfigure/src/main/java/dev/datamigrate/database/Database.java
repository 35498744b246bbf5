package dev.datamigrate.database;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.datamigrate.lock.LeaseLock;
import dev.datamigrate.lock.MigrationLock;
import dev.datamigrate.throttle.ThrottleCheck;
import dev.datamigrate.throttle.ThrottleSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.util.function.SingletonSupplier;

/**
 * What differs by database, chosen once at startup: the column types of the starter's tables, the lock,
 * the limits of a batch's transaction and the page query of a walk. Everything else the starter sends is
 * portable SQL.
 */
public abstract class Database {

	private Supplier<SQLExceptionTranslator> translator = () -> null;

	/**
	 * The database behind a data source, read from its metadata.
	 * @param dataSource the data source
	 * @return the database
	 */
	public static Database of(DataSource dataSource) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		return jdbc.execute((ConnectionCallback<Database>) (connection) -> {
			DatabaseMetaData metaData = connection.getMetaData();
			Database database = of(metaData, jdbc);
			// by the database's error codes of Spring's sql-error-codes.xml, else by SQLSTATE: JdbcTemplate's
			// own default reads only the exception's subclass, which PgJDBC and MariaDB's driver leave general.
			// Made at the first error, by name (no connection then): reading the file costs a fresh JVM startup
			String name = JdbcUtils.commonDatabaseName(metaData.getDatabaseProductName());
			database.translator = SingletonSupplier.of(() -> new SQLErrorCodeSQLExceptionTranslator(name));
			return database;
		});
	}

	private static Database of(DatabaseMetaData metaData, JdbcTemplate jdbc) throws SQLException {
		String product = metaData.getDatabaseProductName().toLowerCase(Locale.ROOT);
		if (product.contains("postgres")) {
			return new PostgresDatabase();
		}
		if (product.contains("mariadb") || product.contains("mysql")) {
			return new MariaDbDatabase(product.contains("mysql") && !metaData.getDatabaseProductVersion()
				.toLowerCase(Locale.ROOT)
				.contains("mariadb"));
		}
		if (product.contains("h2")) {
			return H2Database.of(jdbc);
		}
		return new GenericDatabase();
	}

	/**
	 * The type of text columns of a given length.
	 * @return the type, without its length
	 */
	protected String varchar() {
		return "varchar";
	}

	/**
	 * The type of a column of long text, such as an error's trace.
	 * @return the type
	 */
	protected abstract String longText();

	/**
	 * The type of a point in time.
	 * @return the type
	 */
	protected abstract String timestamp();

	/**
	 * Whether the database calls its schemas catalogs, as MariaDB and MySQL do.
	 * @return whether a schema-qualified name names a catalog
	 */
	public boolean schemasAreCatalogs() {
		return false;
	}

	/**
	 * A query of the names of a table's columns, lower case, with a {@code ?} for the table's name and one for
	 * its schema (empty for the current schema), where it costs less than the connection's metadata.
	 * @return the query, or {@code null} to read the connection's metadata
	 */
	public String columnsQuery() {
		return null;
	}

	/**
	 * The type of a column, by the kind the history table names.
	 * @param kind {@code text(n)}, {@code long-text}, {@code timestamp}, {@code bigint} or {@code integer}
	 * @return the type in this database
	 */
	public String type(String kind) {
		if (kind.startsWith("text(")) {
			return varchar() + kind.substring(4);
		}
		return switch (kind) {
			case "long-text" -> longText();
			case "timestamp" -> timestamp();
			default -> kind;
		};
	}

	/**
	 * The cluster-wide lock of a history table: a lease row with a heartbeat, unless the database has a
	 * lock that dies with its session.
	 * @param dataSource a data source whose connections commit each statement
	 * @param historyTable the history table
	 * @param leaseDuration how long a lease lasts without renewal
	 * @param heartbeats where a lease's renewals are scheduled
	 * @return the lock
	 */
	public MigrationLock lock(DataSource dataSource, String historyTable, Duration leaseDuration,
			TaskScheduler heartbeats) {
		return new LeaseLock(dataSource, this, historyTable, leaseDuration, heartbeats);
	}

	/**
	 * Whether {@link #lock} is a lock of the database session, which dies with its holder, rather than a
	 * lease row.
	 * @return whether locks are session locks
	 */
	public boolean hasSessionLocks() {
		return false;
	}

	/**
	 * The database's own health checks that hold a walk back, as configured.
	 * @param dataSource the application's data source
	 * @param settings the configured limits
	 * @return the checks, none where the database has none
	 */
	public List<ThrottleCheck> throttleChecks(DataSource dataSource, ThrottleSettings settings) {
		return List.of();
	}

	/**
	 * The statement that limits, for the rest of the current transaction, how long a statement waits for
	 * a lock and how long it runs, and lets the transaction commit without waiting for the disk flush where
	 * asked and possible; {@code null} where the database has no such limits.
	 * @param lockTimeout the longest wait for a lock
	 * @param statementTimeout the longest run of a statement
	 * @param asynchronousCommit whether the commit may skip waiting for the disk flush
	 * @return the statement or {@code null}
	 */
	public abstract @Nullable String limitTransaction(Duration lockTimeout, Duration statementTimeout,
			boolean asynchronousCommit);

	/**
	 * The statement that gives the session back the limits it had before {@link #limitTransaction}, run
	 * before the transaction ends, or {@code null} where the limits end with the transaction.
	 * @return the statement or {@code null}
	 */
	public @Nullable String restoreSession() {
		return null;
	}

	/**
	 * The clause that locks the row a select finds and skips rows other transactions hold, so that workers
	 * claiming ranges at once each get one without waiting for the others.
	 * @return the clause, or {@code null} where the database has none (claims then compare and set)
	 */
	public @Nullable String skipLocked() {
		return null;
	}

	/**
	 * A query of the first rows of a select in its order.
	 * @param orderedSelect a select ending with its {@code order by}
	 * @return the query, with a {@code ?} for the number of rows after the select's own parameters
	 */
	public String firstRows(String orderedSelect) {
		return orderedSelect + " limit ?";
	}

	/**
	 * Whether an error may pass if the work is tried again: a lock wait or statement timeout, a deadlock, a
	 * serialization failure, a lost connection, as Spring's translation of the database's error codes
	 * classifies them.
	 * @param error the error
	 * @return whether it is transient
	 */
	public boolean isTransient(Throwable error) {
		return causes(error, (cause) -> cause instanceof TransientDataAccessException
				|| cause instanceof RecoverableDataAccessException || cause instanceof DataAccessResourceFailureException);
	}

	/**
	 * Whether an error is a statement that ran out of time.
	 * @param error the error
	 * @return whether it timed out
	 */
	public boolean isStatementTimeout(Throwable error) {
		return causes(error, QueryTimeoutException.class::isInstance);
	}

	/**
	 * Whether the error or one of its causes, translated where it is a plain {@link SQLException}, is
	 * of a kind.
	 */
	private boolean causes(Throwable error, Predicate<DataAccessException> kind) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			DataAccessException translated = (cause instanceof DataAccessException access) ? access
					: (cause instanceof SQLException sql && this.translator.get() != null)
							? this.translator.get().translate("batch", null, sql) : null;
			if (translated != null && kind.test(translated)) {
				return true;
			}
			// a rollback that failed on a lost connection hides the error that lost it
			if (cause instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
					&& causes(rollback.getApplicationException(), kind)) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
