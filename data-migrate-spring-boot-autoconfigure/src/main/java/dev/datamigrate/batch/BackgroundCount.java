package dev.datamigrate.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;

import dev.datamigrate.history.BoundStatement;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;

/**
 * Counts the rows a walk has left on a thread and connection of its own, in a repeatable read snapshot
 * taken before the walk's first batch commits, so that the count holds up no batch and still sees the rows
 * as they were before the walk, however many batches commit meanwhile; PostgreSQL takes that snapshot at a
 * transaction's first statement. The count records the walk's total itself, once it has it. A walk that
 * ends early cancels it.
 */
final class BackgroundCount {

	private static final Log logger = LogFactory.getLog(BackgroundCount.class);

	/**
	 * How long the first batch waits for the snapshot, which needs a pooled connection.
	 */
	private static final long SNAPSHOT_GRACE_MILLIS = 100;

	/**
	 * How long a cancelled count may take to end.
	 */
	private static final long CANCEL_GRACE_MILLIS = 5_000;

	/**
	 * How often a cancel is sent again: one sent before the query has reached the database is lost.
	 */
	private static final long CANCEL_REPEAT_MILLIS = 20;

	private final String name;

	private final JdbcTemplate jdbc;

	private final BoundStatement count;

	private final LongUnaryOperator record;

	private final Thread thread;

	private final CountDownLatch snapshotTaken = new CountDownLatch(1);

	private final Object lock = new Object();

	/**
	 * Whether the walk went on, with this count or without it; guarded by {@link #lock}.
	 */
	private boolean decided;

	/**
	 * Whether the count took its snapshot in time; guarded by {@link #lock}.
	 */
	private boolean counting;

	/**
	 * Guarded by {@link #lock}.
	 */
	private boolean cancelled;

	/**
	 * The count's statement while it runs, to cancel; guarded by {@link #lock}.
	 */
	private Statement running;

	private volatile Long total;

	private BackgroundCount(String name, JdbcTemplate jdbc, BoundStatement count, LongUnaryOperator record) {
		this.name = name;
		this.jdbc = jdbc;
		this.count = count;
		this.record = record;
		this.thread = new Thread(this::countAndRecord, "data-migrate-count-" + name);
		this.thread.setDaemon(true);
	}

	/**
	 * Start counting, and wait until the snapshot is taken.
	 * @param name the walk's table, to name the thread
	 * @param jdbc template on the application's data source
	 * @param count the query that counts the rows left
	 * @param record records the total from the rows left, and returns it
	 * @return the count under way, or {@code null} when it got no snapshot in time: the walk counts then
	 */
	static BackgroundCount start(String name, JdbcTemplate jdbc, BoundStatement count, LongUnaryOperator record) {
		BackgroundCount background = new BackgroundCount(name, jdbc, count, record);
		background.thread.start();
		try {
			background.snapshotTaken.await(SNAPSHOT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		synchronized (background.lock) {
			background.decided = true;
			if (background.counting) {
				return background;
			}
		}
		// most likely still waiting for a connection that the walk's batches need more
		background.thread.interrupt();
		return null;
	}

	private void countAndRecord() {
		try {
			Long left = this.jdbc.execute((ConnectionCallback<Long>) this::count);
			synchronized (this.lock) {
				if (left == null || this.cancelled) {
					return;
				}
			}
			this.total = this.record.applyAsLong(left);
		}
		catch (RuntimeException ex) {
			// not when the walk cancelled the count, or gave up waiting for its connection and counts itself
			if (isCounting()) {
				logger.warn("Counting the rows of the walk over " + this.name
						+ " failed, so its progress shows no total until it ends: " + ex.getMessage());
			}
		}
		finally {
			this.snapshotTaken.countDown();
		}
	}

	private Long count(Connection connection) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		int isolation = connection.getTransactionIsolation();
		try (PreparedStatement statement = connection.prepareStatement(this.count.sql())) {
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			try (Statement snapshot = connection.createStatement()) {
				snapshot.execute("select 1");
			}
			synchronized (this.lock) {
				if (this.decided) {
					return null;
				}
				this.counting = true;
				this.running = statement;
			}
			this.snapshotTaken.countDown();
			for (int i = 0; i < this.count.args().size(); i++) {
				StatementCreatorUtils.setParameterValue(statement, i + 1, SqlTypeValue.TYPE_UNKNOWN,
						this.count.args().get(i));
			}
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
		finally {
			synchronized (this.lock) {
				this.running = null;
			}
			restore(connection, autoCommit, isolation);
		}
	}

	private static void restore(Connection connection, boolean autoCommit, int isolation) throws SQLException {
		try {
			if (!connection.getAutoCommit()) {
				connection.rollback();
			}
		}
		finally {
			try {
				connection.setAutoCommit(autoCommit);
			}
			finally {
				connection.setTransactionIsolation(isolation);
			}
		}
	}

	/**
	 * Whether the count has ended, with its total recorded if it got one.
	 * @return whether it has
	 */
	boolean isDone() {
		return !this.thread.isAlive();
	}

	/**
	 * Wait for the count to end; an interrupt cancels it.
	 * @return the total it recorded, or {@code null} when it failed or was cancelled
	 */
	Long await() {
		try {
			this.thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			cancel();
		}
		return this.total;
	}

	/**
	 * Cancel the count if it is still under way, and wait briefly for it to end.
	 * @return the total it recorded before it was cancelled, or {@code null}
	 */
	Long cancel() {
		synchronized (this.lock) {
			this.cancelled = true;
		}
		// an interrupted walk, as at shutdown, still waits for the count to end, briefly
		boolean interrupted = Thread.interrupted();
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CANCEL_GRACE_MILLIS);
		try {
			while (this.thread.isAlive() && System.nanoTime() - deadline < 0) {
				cancelRunning();
				this.thread.join(CANCEL_REPEAT_MILLIS);
			}
		}
		catch (InterruptedException ex) {
			interrupted = true;
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		return this.total;
	}

	private void cancelRunning() {
		Statement statement;
		synchronized (this.lock) {
			statement = this.running;
		}
		if (statement != null) {
			try {
				statement.cancel();
			}
			catch (SQLException ex) {
				logger.debug("Cancelling the count of the walk over " + this.name + " failed: " + ex.getMessage());
			}
		}
	}

	private boolean isCounting() {
		synchronized (this.lock) {
			return this.counting && !this.cancelled;
		}
	}

}
