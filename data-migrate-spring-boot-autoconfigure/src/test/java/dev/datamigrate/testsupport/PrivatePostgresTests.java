package dev.datamigrate.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A private PostgreSQL server keeps its data across a restart and a stop, refuses connections while
 * stopped, and leaves nothing behind once closed. Its streaming replica shows what it writes, falls
 * behind by {@code replay_lag} while its replay is paused and catches up once resumed.
 */
class PrivatePostgresTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String REPLAY_LAG = "select max(extract(epoch from replay_lag)) from pg_stat_replication";

	private static final String BEHIND = "select pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)"
			+ " from pg_stat_replication";

	@Test
	void keepsDataAcrossRestartsAndDeletesItsDirectoryWhenClosed() throws SQLException {
		Path directory;
		try (PrivatePostgres postgres = PrivatePostgres.start()) {
			directory = postgres.directory();
			assertThat(directory).isDirectory();
			assertThat(postgres.port()).isNotEqualTo(5432);
			assertThat(postgres.isRunning()).isTrue();
			try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
				assertThat(query(statement, "select current_setting('server_version_num')")).singleElement()
					.asString()
					.startsWith("15");
				assertThat(query(statement, "select inet_server_port()::text"))
					.containsExactly(String.valueOf(postgres.port()));
				statement.execute("create table kept (id int primary key, name text not null)");
				statement.execute("insert into kept values (1, 'one')");
			}
			postgres.restart();
			assertThat(postgres.isRunning()).isTrue();
			assertThat(names(postgres)).containsExactly("one");
			postgres.stop();
			assertThat(postgres.isRunning()).isFalse();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> postgres.connect().close());
			postgres.startAgain();
			assertThat(postgres.isRunning()).isTrue();
			assertThat(names(postgres)).containsExactly("one");
		}
		assertThat(directory).doesNotExist();
	}

	@Test
	void replicaFallsBehindWhileItsReplayIsPausedAndCatchesUpOnceResumed() throws SQLException {
		Path primaryDirectory;
		Path replicaDirectory;
		try (PrivatePostgres primary = PrivatePostgres.start(); PrivatePostgres replica = primary.startReplica()) {
			primaryDirectory = primary.directory();
			replicaDirectory = replica.directory();
			assertThat(replicaDirectory).isDirectory().isNotEqualTo(primaryDirectory);
			assertThat(replica.port()).isNotIn(primary.port(), 5432);
			replica.awaitStreaming(WAIT);
			try (Connection onPrimary = primary.connect(); Statement written = onPrimary.createStatement();
					Connection onReplica = replica.connect(); Statement read = onReplica.createStatement()) {
				assertThat(query(read, "select pg_is_in_recovery()")).containsExactly("t");
				written.execute("create table ticks (id int primary key)");
				written.execute("insert into ticks values (0)");
				awaitValue(read, "select count(*) from ticks", "1");

				replica.pauseReplay();
				long paused = System.nanoTime();
				long behindAtFirst = -1;
				long behind = -1;
				double lag = 0;
				long lagAboveTwoSeconds = -1;
				// an insert every 100 ms for 4 s, then polls until the lag shows or 15 s have gone
				for (int id = 1;; id++) {
					boolean writing = millisSince(paused) < 4_000;
					if (writing) {
						written.execute("insert into ticks values (" + id + ")");
					}
					behind = Long.parseLong(query(written, BEHIND).get(0));
					behindAtFirst = (behindAtFirst < 0) ? behind : behindAtFirst;
					String reading = query(written, REPLAY_LAG).get(0);
					lag = (reading != null) ? Double.parseDouble(reading) : 0;
					if (lag > 2 && lagAboveTwoSeconds < 0) {
						lagAboveTwoSeconds = millisSince(paused);
					}
					if (!writing && (lagAboveTwoSeconds >= 0 || millisSince(paused) >= 15_000)) {
						break;
					}
					PrivateServers.sleep(100);
				}
				System.out.println("[data-migrate tests] replay paused: replay_lag " + lag + " s after "
						+ millisSince(paused) + " ms, first above 2 s after " + lagAboveTwoSeconds + " ms; "
						+ behindAtFirst + " then " + behind + " bytes behind");
				assertThat(lag).as("replay_lag in s after 4 s of writes to a paused replica").isGreaterThan(2);
				assertThat(behind).as("bytes the paused replica is behind").isGreaterThan(behindAtFirst);
				assertThat(query(read, "select count(*) from ticks")).containsExactly("1");

				replica.resumeReplay();
				replica.awaitCaughtUp(WAIT);
				assertThat(query(read, "select count(*) from ticks"))
					.isEqualTo(query(written, "select count(*) from ticks"));
				// two status replies that find the replica fully replayed clear the reading
				awaitValue(written,
						"select coalesce(max(extract(epoch from replay_lag)), 0) < 1 from pg_stat_replication", "t");
			}
		}
		assertThat(primaryDirectory).doesNotExist();
		assertThat(replicaDirectory).doesNotExist();
	}

	@Test
	void primaryClosesBeforeItsReplica() throws SQLException {
		PrivatePostgres primary = PrivatePostgres.start();
		try (PrivatePostgres replica = primary.startReplica()) {
			replica.awaitStreaming(WAIT);
			primary.close();
			assertThat(primary.directory()).doesNotExist();
			assertThat(replica.isRunning()).isTrue();
			try (Connection connection = replica.connect(); Statement statement = connection.createStatement()) {
				assertThat(query(statement, "select pg_is_in_recovery()")).containsExactly("t");
			}
			replica.close();
			assertThat(replica.directory()).doesNotExist();
		}
		finally {
			primary.close();
		}
	}

	/**
	 * Poll a query of one value until it gives {@code expected}, treating an error (such as a table the
	 * replica has not replayed yet) as not yet.
	 */
	private static void awaitValue(Statement statement, String sql, String expected) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		List<String> last = List.of();
		while (System.nanoTime() < deadline) {
			try {
				last = query(statement, sql);
				if (last.equals(List.of(expected))) {
					return;
				}
			}
			catch (SQLException ex) {
				last = List.of(ex.getMessage());
			}
			PrivateServers.sleep(50);
		}
		assertThat(last).as(sql + " within " + WAIT.toSeconds() + " s").containsExactly(expected);
	}

	private static long millisSince(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
	}

	private static List<String> names(PrivatePostgres postgres) throws SQLException {
		try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
			return query(statement, "select name from kept order by id");
		}
	}

	private static List<String> query(Statement statement, String sql) throws SQLException {
		List<String> values = new ArrayList<>();
		try (ResultSet result = statement.executeQuery(sql)) {
			while (result.next()) {
				values.add(result.getString(1));
			}
		}
		return values;
	}

}
