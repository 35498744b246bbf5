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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code mariadbd} of a {@link PrivateMariaDb} and its directory: {@code mariadb-install-db}, the
 * start on a free port, the kill, the log, and the sweep of the directories of dead JVMs.
 */
final class PrivateMariaDbProcess {

	static final String USERNAME = "root";

	private static final String INSTALL_DB = "/usr/bin/mariadb-install-db";

	private static final String MARIADBD = "/usr/sbin/mariadbd";

	/** Options of both the bootstrap and the server, so the redo log is made once in its final size. */
	private static final List<String> SERVER_OPTIONS = List.of("--innodb-buffer-pool-size=64M",
			"--innodb-log-file-size=16M", "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
			"--skip-name-resolve", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci");

	/** The server ids of this JVM's servers: a replica's differs from its primary's. */
	private static final AtomicInteger serverIds = new AtomicInteger();

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final Path directory;

	private final Path logFile;

	private final int serverId = serverIds.incrementAndGet();

	private Process server;

	private int port;

	private PrivateMariaDbProcess(Path directory) {
		this.directory = directory;
		this.logFile = directory.resolve("server.log");
	}

	/** A fresh directory, after a sweep of those of dead JVMs, with no server yet. */
	static PrivateMariaDbProcess inNewDirectory() {
		if (!Files.isExecutable(Paths.get(INSTALL_DB)) || !Files.isExecutable(Paths.get(MARIADBD))) {
			throw new IllegalStateException("No " + INSTALL_DB + " or " + MARIADBD + "; install mariadb-server");
		}
		return new PrivateMariaDbProcess(newDirectory());
	}

	Path directory() {
		return this.directory;
	}

	int port() {
		return this.port;
	}

	void install() {
		// the grant tables go into no binary log, so a replica can apply all of its primary's
		Process install = spawn(mariadbd(INSTALL_DB, "--auth-root-authentication-method=normal", "--skip-test-db",
				"--skip-log-bin"));
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

	void start() {
		for (int attempt = 1;; attempt++) {
			this.port = PrivateServers.freePort();
			// the socket is relative to the data directory, which mariadbd changes to: an absolute path under
			// target/ can exceed the 107 bytes of a Unix-domain socket's name
			this.server = spawn(mariadbd(MARIADBD, "--port=" + this.port, "--bind-address=127.0.0.1",
					"--socket=../mysqld.sock", "--pid-file=" + this.directory.resolve("mysqld.pid"),
					"--server-id=" + this.serverId, "--log-bin=binlog", "--relay-log=relay-bin",
					"--skip-slave-start"));
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

	Connection connect(String database) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", USERNAME);
		properties.setProperty("password", "");
		properties.setProperty("connectTimeout", "5000");
		return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + this.port + "/" + database, properties);
	}

	/** Kill the server, if any, with SIGKILL, not a clean InnoDB shutdown: the data goes right after. */
	void killAndDelete() {
		PrivateServers.kill(Optional.ofNullable(this.server).map(Process::toHandle), STOP_TIMEOUT);
		PrivateServers.deleteTree(this.directory);
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

	String logTail() {
		return PrivateServers.tail(this.logFile, 40);
	}

	IllegalStateException failure(String what, Throwable cause) {
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
