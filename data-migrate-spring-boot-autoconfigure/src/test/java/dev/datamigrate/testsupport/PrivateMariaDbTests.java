package dev.datamigrate.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A private MariaDB server takes writes and reads, counts its running sessions in
 * {@code Threads_running}, and leaves neither a process nor a directory behind once closed; a replica
 * of one applies its writes, shows {@code MASTER_DELAY} and a stopped SQL thread in
 * {@code Seconds_Behind_Master}, catches up, and closes before or after its primary.
 */
class PrivateMariaDbTests {

	private static final int SLEEPERS = 5;

	@Test
	void writesReadsCountsRunningThreadsAndLeavesNothingWhenClosed() throws Exception {
		Path directory;
		int port;
		try (PrivateMariaDb mariaDb = PrivateMariaDb.start()) {
			directory = mariaDb.directory();
			port = mariaDb.port();
			assertThat(directory).isDirectory();
			assertThat(port).isNotEqualTo(3306);
			assertThat(mariadbdOn(port)).hasSize(1);
			assertThat(mariaDb.properties()).contains("spring.datasource.url=" + mariaDb.jdbcUrl(),
					"spring.datasource.username=root", "spring.datasource.password=");
			try (Connection connection = mariaDb.connect(); Statement statement = connection.createStatement()) {
				assertThat(query(statement, "select version()")).singleElement().asString().startsWith("10.11");
				assertThat(query(statement, "select @@port")).containsExactly(String.valueOf(port));
				assertThat(query(statement, "select database()")).containsExactly("test");
				statement.execute("create table kept (id int primary key, name varchar(20) not null)");
				statement.execute("insert into kept values (1, 'one'), (2, 'two')");
				assertThat(threadsRunning(statement)).isPositive();
			}
			try (HikariDataSource dataSource = mariaDb.dataSource();
					Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				assertThat(query(statement, "select name from kept order by id")).containsExactly("one", "two");
			}
			assertSleepersAreCounted(mariaDb);
		}
		assertThat(directory).doesNotExist();
		assertThat(mariadbdOn(port)).isEmpty();
	}

	@Test
	void replicaAppliesIsDelayedStopsAndCatchesUpAndClosesFirst() throws Exception {
		Path primaryDirectory;
		Path replicaDirectory;
		int primaryPort;
		int replicaPort;
		try (PrivateMariaDb primary = PrivateMariaDb.start(); PrivateMariaDb replica = primary.startReplica()) {
			primaryDirectory = primary.directory();
			replicaDirectory = replica.directory();
			primaryPort = primary.port();
			replicaPort = replica.port();
			assertThat(replicaPort).isNotIn(primaryPort, 3306);
			assertThat(mariadbdOn(replicaPort)).hasSize(1);
			try (Connection onPrimary = primary.connect();
					Statement writes = onPrimary.createStatement();
					Connection onReplica = replica.connect();
					Statement reads = onReplica.createStatement()) {
				assertThat(query(reads, "select database()")).containsExactly("test");
				assertThat(query(reads, "select @@server_id")).doesNotContain(query(writes, "select @@server_id").get(0));
				writes.execute("create table kept (id int primary key, at timestamp(3) not null)");
				writes.execute("insert into kept values (1, now(3))");
				awaitRow(reads, 1, Duration.ofSeconds(10));
				assertThat(replica.secondsBehind()).isZero();

				assertDelayShowsAndPasses(replica, writes, reads);

				replica.setReplicationDelay(Duration.ZERO);
				replica.awaitCaughtUp(Duration.ofSeconds(20));
				replica.stopReplicationSqlThread();
				assertThat(replica.secondsBehind()).as("Seconds_Behind_Master with the SQL thread stopped").isNull();
				writes.execute("insert into kept values (100000, now(3))");
				String written = query(writes, "select @@gtid_binlog_pos").get(0);
				awaitStatus(replica, "Gtid_IO_Pos", written, Duration.ofSeconds(10));
				assertThat(query(reads, "select count(*) from kept where id = 100000")).containsExactly("0");
				assertThat(replica.secondsBehind()).isNull();
				replica.startReplicationSqlThread();
				replica.awaitReplicating(Duration.ofSeconds(10));
				awaitRow(reads, 100000, Duration.ofSeconds(10));
				replica.awaitCaughtUp(Duration.ofSeconds(10));
				assertThat(replica.secondsBehind()).isZero();
			}
		}
		assertThat(primaryDirectory).doesNotExist();
		assertThat(replicaDirectory).doesNotExist();
		assertThat(mariadbdOn(primaryPort)).isEmpty();
		assertThat(mariadbdOn(replicaPort)).isEmpty();
	}

	@Test
	void replicaOutlivesItsPrimary() throws Exception {
		try (PrivateMariaDb primary = PrivateMariaDb.start(); PrivateMariaDb replica = primary.startReplica()) {
			try (Connection connection = primary.connect(); Statement statement = connection.createStatement()) {
				statement.execute("create table kept (id int primary key)");
				statement.execute("insert into kept values (1)");
			}
			replica.awaitCaughtUp(Duration.ofSeconds(10));
			int primaryPort = primary.port();
			primary.close();
			assertThat(mariadbdOn(primaryPort)).isEmpty();
			awaitStatus(replica, "Slave_IO_Running", "Connecting", Duration.ofSeconds(10));
			try (Connection connection = replica.connect(); Statement statement = connection.createStatement()) {
				assertThat(query(statement, "select id from kept")).containsExactly("1");
			}
		}
	}

	/**
	 * With {@code MASTER_DELAY=5}, write a row every 100 ms until {@code Seconds_Behind_Master} shows 3 or
	 * more and 3 s longer, then write nothing and watch it until the last row shows and it is 0.
	 */
	private static void assertDelayShowsAndPasses(PrivateMariaDb replica, Statement writes, Statement reads)
			throws Exception {
		replica.setReplicationDelay(Duration.ofSeconds(5));
		replica.awaitReplicating(Duration.ofSeconds(10));
		StringBuilder timeline = new StringBuilder();
		long start = System.nanoTime();
		long reachedThree = -1;
		long most = 0;
		int id = 1;
		while (millisSince(start) < 20_000 && (reachedThree < 0 || millisSince(start) < reachedThree + 3_000)) {
			writes.execute("insert into kept values (" + (++id) + ", now(3))");
			Long behind = replica.secondsBehind();
			note(timeline, start, behind);
			most = Math.max(most, (behind != null) ? behind : 0);
			if (reachedThree < 0 && behind != null && behind >= 3) {
				reachedThree = millisSince(start);
			}
			Thread.sleep(100);
		}
		assertThat(reachedThree).as("ms of writes until Seconds_Behind_Master >= 3 with MASTER_DELAY=5; %s", timeline)
			.isNotNegative();
		long idle = System.nanoTime();
		long lastShown = -1;
		long zeroAgain = -1;
		long mostIdle = 0;
		while (millisSince(idle) < 20_000 && (lastShown < 0 || zeroAgain < 0)) {
			Long behind = replica.secondsBehind();
			note(timeline, start, behind);
			mostIdle = Math.max(mostIdle, (behind != null) ? behind : 0);
			if (lastShown < 0 && query(reads, "select count(*) from kept where id = " + id).equals(List.of("1"))) {
				lastShown = millisSince(idle);
			}
			if (lastShown >= 0 && zeroAgain < 0 && behind != null && behind == 0) {
				zeroAgain = millisSince(idle);
			}
			Thread.sleep(100);
		}
		System.out.println(PrivateServers.PREFIX + "MASTER_DELAY=5: Seconds_Behind_Master >= 3 after " + reachedThree
				+ " ms of writes, at most " + most + " while writing; idle: at most " + mostIdle + ", last row shown after "
				+ lastShown + " ms, 0 after " + zeroAgain + " ms; ms:seconds " + timeline);
		assertThat(lastShown).as("ms until the last row shows once the primary is idle; %s", timeline).isNotNegative();
		assertThat(zeroAgain).as("ms until Seconds_Behind_Master is 0 once the primary is idle; %s", timeline)
			.isNotNegative();
	}

	private static void note(StringBuilder timeline, long start, Long behind) {
		timeline.append(' ').append(millisSince(start)).append(':').append(behind);
	}

	private static void awaitRow(Statement reads, int id, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		String sql = "select count(*) from kept where id = " + id;
		while (!rowReplicated(reads, sql)) {
			assertThat(System.nanoTime()).as("row %d on the replica within %s", id, timeout).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	/** Whether the row is on the replica; a table whose creation it has yet to apply holds none. */
	private static boolean rowReplicated(Statement reads, String sql) throws SQLException {
		try {
			return query(reads, sql).equals(List.of("1"));
		}
		catch (SQLException ex) {
			if (ex.getErrorCode() == 1146) {
				return false;
			}
			throw ex;
		}
	}

	private static void awaitStatus(PrivateMariaDb replica, String column, String value, Duration timeout)
			throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Map<String, String> status = PrivateMariaDbReplication.status(replica);
			if (value.equals(status.get(column))) {
				return;
			}
			assertThat(System.nanoTime()).as("%s %s within %s; last %s", column, value, timeout, status)
				.isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	private static long millisSince(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
	}

	private static void assertSleepersAreCounted(PrivateMariaDb mariaDb) throws Exception {
		ExecutorService sessions = Executors.newFixedThreadPool(SLEEPERS);
		try (Connection connection = mariaDb.connect(); Statement monitor = connection.createStatement()) {
			List<Future<List<String>>> sleeps = new ArrayList<>();
			for (int i = 0; i < SLEEPERS; i++) {
				sleeps.add(sessions.submit(() -> {
					try (Connection session = mariaDb.connect(); Statement statement = session.createStatement()) {
						return query(statement, "select sleep(3)");
					}
				}));
			}
			// the sleepers run for 3 s: poll until all of them show, at most a little longer than that
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			int most = 0;
			while (most < SLEEPERS && System.nanoTime() < deadline) {
				most = Math.max(most, threadsRunning(monitor));
				Thread.sleep(20);
			}
			assertThat(most).as("the most Threads_running seen with %d sessions in sleep(3)", SLEEPERS)
				.isGreaterThanOrEqualTo(SLEEPERS);
			for (Future<List<String>> sleep : sleeps) {
				assertThat(sleep.get(30, TimeUnit.SECONDS)).containsExactly("0");
			}
		}
		finally {
			sessions.shutdownNow();
		}
	}

	private static int threadsRunning(Statement statement) throws SQLException {
		try (ResultSet result = statement.executeQuery("show global status like 'Threads_running'")) {
			assertThat(result.next()).isTrue();
			return Integer.parseInt(result.getString(2));
		}
	}

	/** The mariadbd processes listening on a port, as their command lines tell. */
	private static List<ProcessHandle> mariadbdOn(int port) {
		return ProcessHandle.allProcesses()
			.filter(ProcessHandle::isAlive)
			.filter((process) -> process.info().command().orElse("").endsWith("mariadbd"))
			.filter((process) -> Arrays.asList(process.info().arguments().orElse(new String[0]))
				.contains("--port=" + port))
			.toList();
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
