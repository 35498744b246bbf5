package dev.datamigrate.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The replication of a {@link PrivateMariaDb} replica from its primary: GTID replication as root over
 * 127.0.0.1, its delay, its SQL thread, and waits on {@code SHOW REPLICA STATUS} and
 * {@code MASTER_GTID_WAIT}. Every wait is bounded and fails with what it saw last and the tails of both
 * servers' logs.
 */
final class PrivateMariaDbReplication {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final long POLL_MILLIS = 50;

	private PrivateMariaDbReplication() {
	}

	/**
	 * Point a fresh replica, whose {@code gtid_slave_pos} is empty, at its primary and start it: it fetches
	 * the primary's binary log from its first event, the primary's {@code create database test} included,
	 * since the primary's grant tables were made with no binary log.
	 */
	static void start(PrivateMariaDb replica) {
		PrivateMariaDb primary = replica.primary();
		execute(replica, "change master to master_host = '127.0.0.1', master_port = " + primary.port()
				+ ", master_user = '" + primary.username() + "', master_password = '" + primary.password()
				+ "', master_use_gtid = slave_pos, master_connect_retry = 1");
		execute(replica, "start slave");
		awaitReplicating(replica, START_TIMEOUT);
		awaitCaughtUp(replica, START_TIMEOUT);
	}

	static void setDelay(PrivateMariaDb replica, Duration delay) {
		execute(replica, "stop slave");
		execute(replica, "change master to master_delay = " + delay.toSeconds());
		execute(replica, "start slave");
	}

	static void awaitReplicating(PrivateMariaDb replica, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Map<String, String> status = Map.of();
		SQLException failure = null;
		while (true) {
			try {
				status = status(replica);
				failure = null;
				if ("Yes".equals(status.get("Slave_IO_Running")) && "Yes".equals(status.get("Slave_SQL_Running"))) {
					return;
				}
			}
			catch (SQLException ex) {
				failure = ex;
			}
			if (System.nanoTime() >= deadline) {
				throw failure(replica, "run both replication threads within " + timeout.toMillis() + " ms; last "
						+ ((failure != null) ? failure : "Slave_IO_Running " + status.get("Slave_IO_Running")
								+ ", Slave_SQL_Running " + status.get("Slave_SQL_Running") + ", Last_IO_Error "
								+ status.get("Last_IO_Error") + ", Last_SQL_Error " + status.get("Last_SQL_Error")),
						failure);
			}
			PrivateServers.sleep(POLL_MILLIS);
		}
	}

	/** Wait until the replica has applied the primary's {@code gtid_binlog_pos} of now. */
	static void awaitCaughtUp(PrivateMariaDb replica, Duration timeout) {
		String position = null;
		try (Connection primary = replica.primary().connect("");
				Statement statement = primary.createStatement();
				ResultSet result = statement.executeQuery("select @@gtid_binlog_pos")) {
			result.next();
			position = result.getString(1);
		}
		catch (SQLException ex) {
			throw failure(replica, "catch up: its primary gave no gtid_binlog_pos", ex);
		}
		double seconds = Math.max(0.001, timeout.toMillis() / 1000.0);
		try (Connection connection = replica.connect(""); Statement statement = connection.createStatement()) {
			// a statement timeout would end the wait early: there is none by default
			try (ResultSet result = statement
				.executeQuery("select master_gtid_wait('" + position + "', " + seconds + ")")) {
				result.next();
				if (result.getInt(1) != 0) {
					throw failure(replica, "apply the primary's " + position + " within " + timeout.toMillis()
							+ " ms; its gtid_slave_pos is " + value(statement, "select @@gtid_slave_pos") + ", "
							+ status(replica), null);
				}
			}
		}
		catch (SQLException ex) {
			throw failure(replica, "catch up to " + position, ex);
		}
	}

	static Long secondsBehind(PrivateMariaDb replica) {
		try {
			String seconds = status(replica).get("Seconds_Behind_Master");
			return (seconds != null) ? Long.valueOf(seconds) : null;
		}
		catch (SQLException ex) {
			throw failure(replica, "show its replica status", ex);
		}
	}

	static void execute(PrivateMariaDb replica, String sql) {
		try (Connection connection = replica.connect(""); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw failure(replica, "run " + sql, ex);
		}
	}

	/** The one row of {@code SHOW REPLICA STATUS} by column, empty when the server replicates from none. */
	static Map<String, String> status(PrivateMariaDb replica) throws SQLException {
		Map<String, String> status = new LinkedHashMap<>();
		try (Connection connection = replica.connect("");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("show replica status")) {
			if (result.next()) {
				ResultSetMetaData columns = result.getMetaData();
				for (int i = 1; i <= columns.getColumnCount(); i++) {
					status.put(columns.getColumnLabel(i), result.getString(i));
				}
			}
		}
		return status;
	}

	private static String value(Statement statement, String sql) throws SQLException {
		try (ResultSet result = statement.executeQuery(sql)) {
			return result.next() ? result.getString(1) : null;
		}
	}

	private static IllegalStateException failure(PrivateMariaDb replica, String what, Throwable cause) {
		return new IllegalStateException(replica + " did not " + what + "\nthe tail of the replica's log:\n"
				+ replica.logTail() + "\nthe tail of the primary's log:\n" + replica.primary().logTail(), cause);
	}

}
