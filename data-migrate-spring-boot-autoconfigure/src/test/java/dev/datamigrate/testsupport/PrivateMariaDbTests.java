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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A private MariaDB server takes writes and reads, counts its running sessions in
 * {@code Threads_running}, and leaves neither a process nor a directory behind once closed.
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
