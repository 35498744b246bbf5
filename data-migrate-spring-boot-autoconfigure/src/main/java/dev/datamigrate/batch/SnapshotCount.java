package dev.datamigrate.batch;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Counts a walk's rows on a thread and connection of its own, in a repeatable read snapshot taken before
 * the walk's first batch, so that the count holds up no batch and still sees the rows as they were before
 * the walk, however many batches commit meanwhile. PostgreSQL takes that snapshot at the transaction's
 * first statement.
 */
final class SnapshotCount {

	/**
	 * How long the first batch waits for the snapshot, which needs a pooled connection.
	 */
	private static final long SNAPSHOT_GRACE_MILLIS = 100;

	private final CountDownLatch snapshotDone = new CountDownLatch(1);

	private final AtomicBoolean decided = new AtomicBoolean();

	private final FutureTask<Long> count;

	private SnapshotCount(JdbcTemplate jdbc, String sql) {
		this.count = new FutureTask<>(() -> {
			try {
				return jdbc.execute((ConnectionCallback<Long>) (connection) -> count(connection, sql));
			}
			finally {
				this.snapshotDone.countDown();
			}
		});
	}

	/**
	 * Start counting, and wait until the snapshot is taken.
	 * @param name the walk's table, to name the thread
	 * @param jdbc template on the application's data source
	 * @param sql the count
	 * @return the count under way, or {@code null} when it got no snapshot in time: the walk counts then
	 */
	static SnapshotCount start(String name, JdbcTemplate jdbc, String sql) {
		SnapshotCount snapshotCount = new SnapshotCount(jdbc, sql);
		Thread thread = new Thread(snapshotCount.count, "data-migrate-count-" + name);
		thread.setDaemon(true);
		thread.start();
		try {
			snapshotCount.snapshotDone.await(SNAPSHOT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// whoever decides first: the count, that it has its snapshot, or the walk, that it counts itself
		return snapshotCount.decided.compareAndSet(false, true) ? null : snapshotCount;
	}

	private Long count(Connection connection, String sql) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		int isolation = connection.getTransactionIsolation();
		connection.setAutoCommit(false);
		connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
		try (Statement statement = connection.createStatement()) {
			statement.execute("select 1");
			if (!this.decided.compareAndSet(false, true)) {
				return null;
			}
			this.snapshotDone.countDown();
			try (ResultSet total = statement.executeQuery(sql)) {
				total.next();
				return total.getLong(1);
			}
		}
		finally {
			connection.rollback();
			connection.setTransactionIsolation(isolation);
			connection.setAutoCommit(autoCommit);
		}
	}

	/**
	 * Whether the count has finished.
	 * @return whether it has
	 */
	boolean isDone() {
		return this.count.isDone();
	}

	/**
	 * The count, once it has finished.
	 * @return the rows of the walk as they were before it, or {@code null} when the calling thread was
	 * interrupted, as at shutdown, before the count finished
	 */
	Long total() {
		try {
			return this.count.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException("Counting the rows of the walk failed", ex.getCause());
		}
	}

}
