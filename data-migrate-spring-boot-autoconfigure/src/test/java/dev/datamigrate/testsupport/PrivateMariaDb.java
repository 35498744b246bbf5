package dev.datamigrate.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A MariaDB 10.11 server of a test's own: a data directory made by {@code mariadb-install-db} in a
 * fresh directory under the module's {@code target/private-mariadb}, on a free port of 127.0.0.1, for
 * tests that must never touch the shared server on 3306.
 * <p>
 * The server reads no option file, keeps its grant tables (root without a password, as
 * {@code --auth-root-authentication-method=normal} makes it), has no binary log, small InnoDB buffers,
 * no doublewrite, no redo log flush at each commit, and logs, like {@code mariadb-install-db}, to
 * {@code server.log} in its directory. It has a database {@code test}, which {@link #jdbcUrl()} points
 * at. When the tests run as root, so does the server ({@code --user=root}): unlike PostgreSQL's, it
 * then owns its files and reaches {@code target/}, with no other operating system user.
 * <p>
 * {@link #close()} kills the server and deletes its directory; a JVM shutdown hook does the same for
 * servers a test left open, and the next {@link #start()} removes the servers of JVMs that died
 * without running it. Every step is bounded in time and fails with the tail of the log.
 */
public final class PrivateMariaDb implements AutoCloseable {

	private static final String INSTALL_DB = "/usr/bin/mariadb-install-db";

	private static final String MARIADBD = "/usr/sbin/mariadbd";

	private static final String DATABASE = "test";

	/** Options of both the bootstrap and the server, so the redo log is made once in its final size. */
	private static final List<String> SERVER_OPTIONS = List.of("--innodb-buffer-pool-size=64M",
			"--innodb-log-file-size=16M", "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
			"--skip-log-bin", "--skip-name-resolve", "--character-set-server=utf8mb4",
			"--collation-server=utf8mb4_general_ci");

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final Set<PrivateMariaDb> open = ConcurrentHashMap.newKeySet();

	static {
		PrivateServers.closeAtExit(open, "private-mariadb-shutdown");
	}

	private final Path directory;

	private final Path logFile;

	private Process server;

	private int port;

	private boolean closed;

	private PrivateMariaDb(Path directory) {
		this.directory = directory;
		this.logFile = directory.resolve("server.log");
	}

	/**
	 * Make a new data directory, start a server on it and create its database {@code test}.
	 * @return the running server; close it when done
	 * @throws IllegalStateException if the directory cannot be made or the server does not start in time
	 */
	public static PrivateMariaDb start() {
		if (!Files.isExecutable(Paths.get(INSTALL_DB)) || !Files.isExecutable(Paths.get(MARIADBD))) {
			throw new IllegalStateException("No " + INSTALL_DB + " or " + MARIADBD + "; install mariadb-server");
		}
		long started = System.nanoTime();
		PrivateMariaDb mariaDb = new PrivateMariaDb(newDirectory());
		open.add(mariaDb);
		try {
			mariaDb.install();
			long installed = System.nanoTime();
			mariaDb.firstStart();
			mariaDb.execute("create database " + DATABASE);
			System.out.println(PrivateServers.PREFIX + "private MariaDB on 127.0.0.1:" + mariaDb.port + " made in "
					+ TimeUnit.NANOSECONDS.toMillis(installed - started) + " ms, started in "
					+ PrivateServers.millisSince(installed) + " ms in " + mariaDb.directory);
			return mariaDb;
		}
		catch (RuntimeException | Error ex) {
			PrivateServers.closeQuietly(mariaDb);
			throw ex;
		}
	}

	/**
	 * The JDBC URL of the database {@code test}.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return "jdbc:mariadb://127.0.0.1:" + this.port + "/" + DATABASE;
	}

	/**
	 * The superuser, {@code root}.
	 * @return the user name
	 */
	public String username() {
		return "root";
	}

	/**
	 * The password, empty: {@code mariadb-install-db} made root without one.
	 * @return the password
	 */
	public String password() {
		return "";
	}

	/**
	 * The TCP port the server listens on, on 127.0.0.1.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The directory of this server: its data directory {@code data} and its log {@code server.log}.
	 * @return the directory, gone once closed
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Open a plain connection to the database {@code test}.
	 * @return the connection
	 * @throws SQLException on failure
	 */
	public Connection connect() throws SQLException {
		return connect(DATABASE);
	}

	/**
	 * A new pooled data source on the database {@code test}; close it when done.
	 * @return the data source
	 */
	public HikariDataSource dataSource() {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(jdbcUrl());
		dataSource.setUsername(username());
		dataSource.setPassword(password());
		dataSource.setMaximumPoolSize(5);
		return dataSource;
	}

	/**
	 * Spring Boot properties that point an application at the database {@code test}.
	 * @return the properties as {@code key=value}
	 */
	public List<String> properties() {
		return List.of("spring.datasource.url=" + jdbcUrl(), "spring.datasource.username=" + username(),
				"spring.datasource.password=", "spring.datasource.hikari.maximum-pool-size=4");
	}

	/**
	 * Kill the server and delete its directory. Closing twice does nothing.
	 * @throws IllegalStateException if the server outlives the kill
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			// SIGKILL, not a clean InnoDB shutdown: the data goes right after
			PrivateServers.kill(Optional.ofNullable(this.server).map(Process::toHandle), STOP_TIMEOUT);
			PrivateServers.deleteTree(this.directory);
		}
		finally {
			open.remove(this);
		}
	}

	@Override
	public String toString() {
		return "PrivateMariaDb[127.0.0.1:" + this.port + ", " + this.directory + "]";
	}

	private void install() {
		Process install = spawn(mariadbd(INSTALL_DB, "--auth-root-authentication-method=normal", "--skip-test-db"));
		try {
			if (!install.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				install.descendants().forEach(ProcessHandle::destroyForcibly);
				install.destroyForcibly();
				throw failure("mariadb-install-db timed out after " + COMMAND_TIMEOUT.toSeconds() + " s", null);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			install.destroyForcibly();
			throw failure("Interrupted while running mariadb-install-db", ex);
		}
		if (install.exitValue() != 0) {
			throw failure("mariadb-install-db failed with exit code " + install.exitValue(), null);
		}
	}

	private void firstStart() {
		for (int attempt = 1;; attempt++) {
			this.port = PrivateServers.freePort();
			// the socket is relative to the data directory, which mariadbd changes to: an absolute path under
			// target/ can exceed the 107 bytes of a Unix-domain socket's name
			this.server = spawn(mariadbd(MARIADBD, "--port=" + this.port, "--bind-address=127.0.0.1",
					"--socket=../mysqld.sock", "--pid-file=" + this.directory.resolve("mysqld.pid")));
			if (awaitConnections()) {
				return;
			}
			// another process may have taken the free port before the server bound it
			if (!logTail().contains("Address already in use") || attempt == 3) {
				throw failure("mariadbd exited with code " + this.server.exitValue(), null);
			}
		}
	}

	/** Whether the server takes connections in time; {@code false} if it exited first. */
	private boolean awaitConnections() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		SQLException last = null;
		while (System.nanoTime() < deadline) {
			try (Connection connection = connect("")) {
				return true;
			}
			catch (SQLException ex) {
				last = ex;
			}
			if (!this.server.isAlive()) {
				return false;
			}
			PrivateServers.sleep(20);
		}
		throw failure("mariadbd took no connection within " + START_TIMEOUT.toSeconds() + " s", last);
	}

	private void execute(String sql) {
		try (Connection connection = connect(""); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw failure("Failed to run " + sql, ex);
		}
	}

	private Connection connect(String database) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", username());
		properties.setProperty("password", password());
		properties.setProperty("connectTimeout", "5000");
		return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + this.port + "/" + database, properties);
	}

	/**
	 * A command of MariaDB's on this directory: as root when the JVM is root, since mariadbd refuses
	 * that unless told, and with the options of {@link #SERVER_OPTIONS}.
	 */
	private List<String> mariadbd(String program, String... arguments) {
		// --no-defaults only counts as the first option
		List<String> command = new ArrayList<>(
				List.of(program, "--no-defaults", "--datadir=" + this.directory.resolve("data")));
		if ("root".equals(System.getProperty("user.name"))) {
			command.add("--user=root");
		}
		command.addAll(List.of(arguments));
		command.addAll(SERVER_OPTIONS);
		return command;
	}

	/** Start a command with its output in the log: a file, not a pipe, so that nothing here stalls it. */
	private Process spawn(List<String> command) {
		try {
			Files.writeString(this.logFile, "$ " + String.join(" ", command) + "\n", StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
			return new ProcessBuilder(command).directory(this.directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to run " + String.join(" ", command), ex);
		}
	}

	private String logTail() {
		return PrivateServers.tail(this.logFile, 40);
	}

	private IllegalStateException failure(String what, Throwable cause) {
		return new IllegalStateException(what + " for private MariaDB in " + this.directory + " (port " + this.port
				+ "); the tail of " + this.logFile + ":\n" + logTail(), cause);
	}

	private static Path newDirectory() {
		Path base = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")), "target",
				"private-mariadb").toAbsolutePath().normalize();
		try {
			Files.createDirectories(base);
			PrivateServers.sweepStale(base, "MariaDB", (stale) -> PrivateServers.kill(serverOf(stale), STOP_TIMEOUT));
			return PrivateServers.newDirectory(base, "mdb-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to make a directory for a private MariaDB under " + base, ex);
		}
	}

	/** The mariadbd of a stale directory by its pid file, if it still runs on that directory (pids are reused). */
	private static Optional<ProcessHandle> serverOf(Path directory) {
		try {
			long pid = Long.parseLong(Files.readString(directory.resolve("mysqld.pid")).trim());
			return ProcessHandle.of(pid)
				.filter((process) -> process.info().commandLine().orElse("").contains(directory.toString()));
		}
		catch (IOException | NumberFormatException ex) {
			return Optional.empty();
		}
	}

}
