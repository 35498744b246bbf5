package dev.datamigrate.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The replay controls and waits of a {@link PrivatePostgres} replica, on itself and on its primary's
 * {@code pg_stat_replication}, where the replica's {@code application_name} is
 * {@link PrivatePostgres#replicationName()}. Every wait polls within its bound and fails with what it
 * saw last and the tails of both servers' logs.
 */
final class PrivateReplication {

	private static final Duration PAUSE_TIMEOUT = Duration.ofSeconds(10);

	private static final long POLL_MILLIS = 50;

	private static final String STATE = "select state from pg_stat_replication where application_name = ?";

	private static final String CAUGHT_UP = "select case when replay_lsn = pg_current_wal_lsn() then 'caught up'"
			+ " else 'replayed ' || coalesce(replay_lsn::text, 'nothing') || ' of ' || pg_current_wal_lsn() end"
			+ " from pg_stat_replication where application_name = ?";

	private PrivateReplication() {
	}

	static void pauseReplay(PrivatePostgres replica) {
		execute(replica, "select pg_wal_replay_pause()");
		// pausing takes effect at the startup process's next check, not at the call's return
		await(replica, "select pg_get_wal_replay_pause_state()", null, "paused"::equals, PAUSE_TIMEOUT, replica,
				"pause its replay");
	}

	static void resumeReplay(PrivatePostgres replica) {
		execute(replica, "select pg_wal_replay_resume()");
	}

	static void awaitStreaming(PrivatePostgres replica, Duration timeout) {
		await(replica.primary(), STATE, replica.replicationName(), "streaming"::equals, timeout, replica, "stream");
	}

	static void awaitCaughtUp(PrivatePostgres replica, Duration timeout) {
		await(replica.primary(), CAUGHT_UP, replica.replicationName(), "caught up"::equals, timeout, replica,
				"catch up");
	}

	private static void execute(PrivatePostgres server, String sql) {
		try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + " failed on " + server + "; the tail of " + server.logFile() + ":\n"
					+ server.logTail(), ex);
		}
	}

	/**
	 * Run a query of one text value on {@code server} until {@code done} accepts its value, opening a
	 * connection each time, so that a server that is down for a while only delays the wait.
	 */
	private static void await(PrivatePostgres server, String sql, String parameter, Predicate<String> done,
			Duration timeout, PrivatePostgres replica, String what) {
		long deadline = System.nanoTime() + timeout.toNanos();
		String last = "nothing yet";
		SQLException lastFailure = null;
		while (true) {
			try (Connection connection = server.connect();
					PreparedStatement statement = connection.prepareStatement(sql)) {
				if (parameter != null) {
					statement.setString(1, parameter);
				}
				try (ResultSet result = statement.executeQuery()) {
					last = result.next() ? String.valueOf(result.getString(1)) : "no row";
				}
				lastFailure = null;
				if (done.test(last)) {
					return;
				}
			}
			catch (SQLException ex) {
				last = ex.getMessage();
				lastFailure = ex;
			}
			if (System.nanoTime() >= deadline) {
				break;
			}
			PrivateServers.sleep(POLL_MILLIS);
		}
		IllegalStateException failure = new IllegalStateException(replica + " did not " + what + " within "
				+ timeout.toMillis() + " ms; " + sql.replace("?", "'" + parameter + "'") + " on " + server
				+ " gave last: " + last + "\nthe tail of the replica's log:\n" + replica.logTail()
				+ "\nthe tail of the primary's log:\n" + replica.primary().logTail());
		if (lastFailure != null) {
			failure.initCause(lastFailure);
		}
		throw failure;
	}

}
