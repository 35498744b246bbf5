package dev.datamigrate.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.support.JdbcUtils;

/**
 * A lock held by a database session on a connection of its own, so it is released by the database
 * when the holder's process or connection dies. Subclasses give the SQL of one database.
 */
abstract class SessionLock implements MigrationLock {

	private static final Log logger = LogFactory.getLog(SessionLock.class);

	private static final long POLL_MILLIS = 250;

	private final DataSource dataSource;

	SessionLock(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/**
	 * Try once to take the lock on the connection, without waiting.
	 * @param connection the lock's connection
	 * @return whether the lock was taken
	 * @throws SQLException on a database error
	 */
	abstract boolean tryLock(Connection connection) throws SQLException;

	/**
	 * Whether the connection still holds the lock.
	 * @param connection the lock's connection
	 * @return whether it holds the lock
	 * @throws SQLException on a database error
	 */
	abstract boolean holds(Connection connection) throws SQLException;

	/**
	 * Release the lock held by the connection.
	 * @param connection the lock's connection
	 * @throws SQLException on a database error
	 */
	abstract void unlock(Connection connection) throws SQLException;

	@Override
	public Optional<Handle> acquire(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		Connection connection = connect();
		try {
			while (!tryLock(connection)) {
				if (System.nanoTime() - deadline >= 0) {
					JdbcUtils.closeConnection(connection);
					return Optional.empty();
				}
				Thread.sleep(POLL_MILLIS);
			}
			return Optional.of(new SessionHandle(connection));
		}
		catch (SQLException ex) {
			JdbcUtils.closeConnection(connection);
			throw new CannotGetJdbcConnectionException("Failed to take the data migration lock", ex);
		}
		catch (InterruptedException | RuntimeException ex) {
			JdbcUtils.closeConnection(connection);
			throw ex;
		}
	}

	private Connection connect() {
		try {
			Connection connection = this.dataSource.getConnection();
			connection.setAutoCommit(true);
			return connection;
		}
		catch (SQLException ex) {
			throw new CannotGetJdbcConnectionException("Failed to open a connection for the data migration lock", ex);
		}
	}

	static boolean queryBoolean(Connection connection, String sql, Object... parameters) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
	}

	private final class SessionHandle implements Handle {

		/**
		 * Close the physical connection, so that a pool does not keep a session that may still hold the
		 * lock.
		 */
		private void abort() {
			try {
				this.connection.abort(Runnable::run);
			}
			catch (SQLException ex) {
				logger.debug("Could not abort the data migration lock's connection", ex);
			}
		}

		private final Connection connection;

		private volatile boolean released;

		SessionHandle(Connection connection) {
			this.connection = connection;
		}

		@Override
		public boolean isHeld() {
			if (this.released) {
				return false;
			}
			try {
				return holds(this.connection);
			}
			catch (SQLException ex) {
				logger.warn("Lost the data migration lock: its connection failed", ex);
				return false;
			}
		}

		@Override
		public void close() {
			if (this.released) {
				return;
			}
			this.released = true;
			try {
				unlock(this.connection);
			}
			catch (SQLException ex) {
				logger.debug("Could not release the data migration lock; it goes with its connection", ex);
				abort();
			}
			finally {
				JdbcUtils.closeConnection(this.connection);
			}
		}

	}

}
