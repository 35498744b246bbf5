package dev.datamigrate.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
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
 * A PostgreSQL 15 server of a test's own: a new cluster made by {@code initdb} in a fresh directory
 * under the module's {@code target/private-postgres}, on a free port of 127.0.0.1, for tests that stop,
 * restart or crash a server and so must never touch the shared one on 5432.
 * <p>
 * The cluster trusts every local connection, runs with {@code fsync=off}, small
 * {@code shared_buffers}, {@code max_connections=50}, no Unix-domain socket, and logs to
 * {@code server.log} in its directory. It has a database {@code test}, which {@link #jdbcUrl()} points
 * at, and the superuser {@code postgres} without a password.
 * <p>
 * PostgreSQL refuses to run as root: when the tests run as root, {@code initdb} and {@code pg_ctl}
 * run as the operating system's {@code postgres} user, which owns the directory. When that user cannot
 * reach {@code target/} (a parent directory it may not traverse), the cluster goes to
 * {@code /tmp/private-postgres} instead.
 * <p>
 * {@link #close()} stops the server and deletes its directory; a JVM shutdown hook does the same for
 * servers a test left open, and the next {@link #start()} removes the clusters of JVMs that died
 * without running it. Every step is bounded in time and fails with the output of the command and the
 * tail of the server's log.
 * <p>
 * The binaries are those of {@code /usr/lib/postgresql/15/bin}, or of the directory named by the system
 * property {@code data-migrate.test.postgres-bin}.
 * <p>
 * {@link #startReplica()} makes a streaming replica of such a server, a server of the same kind in a
 * directory and on a port of its own; {@link PrivateReplication} holds the waits on its replay.
 */
public final class PrivatePostgres implements AutoCloseable {

	private static final String PREFIX = PrivateServers.PREFIX;

	private static final Path BIN = Paths
		.get(System.getProperty("data-migrate.test.postgres-bin", "/usr/lib/postgresql/15/bin"));

	private static final String OS_USER = "postgres";

	private static final String USERNAME = "postgres";

	private static final String DATABASE = "test";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private static final int PORT_ATTEMPTS = 3;

	private static final int LOG_TAIL_LINES = 40;

	private static final Set<PrivatePostgres> open = ConcurrentHashMap.newKeySet();

	static {
		PrivateServers.closeAtExit(open, "private-postgres-shutdown");
	}

	private final Path directory;

	private final Path dataDirectory;

	private final Path logFile;

	private final boolean asRoot;

	private final PrivatePostgres primary;

	private int port;

	private boolean closed;

	private PrivatePostgres(Path directory, boolean asRoot, PrivatePostgres primary) {
		this.directory = directory;
		this.dataDirectory = directory.resolve("data");
		this.logFile = directory.resolve("server.log");
		this.asRoot = asRoot;
		this.primary = primary;
	}

	/**
	 * Make a new cluster, start it and create its database {@code test}.
	 * @return the running server; close it when done
	 * @throws IllegalStateException if the cluster cannot be made or does not start in time
	 */
	public static PrivatePostgres start() {
		if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
			throw new IllegalStateException("No PostgreSQL binaries (initdb, pg_ctl) in " + BIN
					+ "; install PostgreSQL 15 or set the system property data-migrate.test.postgres-bin");
		}
		long started = System.nanoTime();
		boolean asRoot = isRoot();
		PrivatePostgres postgres = new PrivatePostgres(newDirectory(asRoot), asRoot, null);
		open.add(postgres);
		try {
			postgres.initialize();
			postgres.firstStart();
			postgres.createDatabase();
		}
		catch (RuntimeException | Error ex) {
			postgres.close();
			throw ex;
		}
		System.out.println(PREFIX + "private PostgreSQL on 127.0.0.1:" + postgres.port + " made and started in "
				+ PrivateServers.millisSince(started) + " ms in " + postgres.directory);
		return postgres;
	}

	/**
	 * Make a streaming replica of this server with {@code pg_basebackup -R}, in a fresh directory, start it
	 * on a free port of its own and wait until it takes connections. It replays what this server writes
	 * and answers read-only queries. Closing either server first is safe: a replica whose primary is gone
	 * keeps trying to reconnect until it is closed.
	 * @return the running replica; close it when done
	 * @throws IllegalStateException if this server is closed or stopped, or the replica cannot be made
	 * or does not start in time
	 */
	public synchronized PrivatePostgres startReplica() {
		checkOpen();
		long started = System.nanoTime();
		PrivatePostgres replica = new PrivatePostgres(newDirectory(this.asRoot), this.asRoot, this);
		open.add(replica);
		try {
			replica.copyPrimary();
			replica.firstStart();
		}
		catch (RuntimeException | Error ex) {
			replica.close();
			throw ex;
		}
		System.out.println(PREFIX + "private PostgreSQL replica on 127.0.0.1:" + replica.port + " of 127.0.0.1:"
				+ this.port + " made and started in " + PrivateServers.millisSince(started) + " ms in "
				+ replica.directory);
		return replica;
	}

	/**
	 * Pause this replica's replay ({@code pg_wal_replay_pause()}) and wait until it has paused, so that
	 * nothing its primary writes from now on shows here until {@link #resumeReplay()}. It still receives
	 * and flushes the WAL.
	 * @throws IllegalStateException if this server is no replica, or replay does not pause in time
	 */
	public void pauseReplay() {
		PrivateReplication.pauseReplay(replica());
	}

	/**
	 * Resume this replica's replay ({@code pg_wal_replay_resume()}).
	 * @throws IllegalStateException if this server is no replica or the call fails
	 */
	public void resumeReplay() {
		PrivateReplication.resumeReplay(replica());
	}

	/**
	 * Wait until the primary's {@code pg_stat_replication} shows this replica in the state
	 * {@code streaming}.
	 * @param timeout how long to wait at most
	 * @throws IllegalStateException if this server is no replica, or it does not stream in time
	 */
	public void awaitStreaming(Duration timeout) {
		PrivateReplication.awaitStreaming(replica(), timeout);
	}

	/**
	 * Wait until this replica has replayed all that its primary has written: {@code replay_lsn} in the
	 * primary's {@code pg_stat_replication} equals its {@code pg_current_wal_lsn()}.
	 * @param timeout how long to wait at most
	 * @throws IllegalStateException if this server is no replica, or it does not catch up in time
	 */
	public void awaitCaughtUp(Duration timeout) {
		PrivateReplication.awaitCaughtUp(replica(), timeout);
	}

	/**
	 * The JDBC URL of the database {@code test}.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return jdbcUrl(DATABASE);
	}

	/**
	 * The JDBC URL of another database of this server, such as {@code postgres}.
	 * @param database the name of the database
	 * @return the URL
	 */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	/**
	 * The superuser, {@code postgres}.
	 * @return the user name
	 */
	public String username() {
		return USERNAME;
	}

	/**
	 * The password, empty: the server trusts local connections.
	 * @return the password
	 */
	public String password() {
		return "";
	}

	/**
	 * The TCP port the server listens on, on 127.0.0.1, the same across restarts.
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
	 * The server's log file, kept across restarts.
	 * @return the log file
	 */
	public Path logFile() {
		return this.logFile;
	}

	/**
	 * Open a plain connection to the database {@code test}.
	 * @return the connection
	 * @throws SQLException on failure, such as when the server is stopped
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
		dataSource.setUsername(USERNAME);
		dataSource.setPassword("");
		dataSource.setMaximumPoolSize(5);
		return dataSource;
	}

	/**
	 * Spring Boot properties that point an application at the database {@code test}.
	 * @return the properties as {@code key=value}
	 */
	public List<String> properties() {
		List<String> properties = new ArrayList<>();
		properties.add("spring.datasource.url=" + jdbcUrl());
		properties.add("spring.datasource.username=" + USERNAME);
		properties.add("spring.datasource.password=");
		properties.add("spring.datasource.hikari.maximum-pool-size=4");
		return properties;
	}

	/**
	 * Whether the server runs, as {@code pg_ctl status} tells.
	 * @return {@code true} if it runs
	 */
	public synchronized boolean isRunning() {
		if (this.closed || !Files.isDirectory(this.dataDirectory)) {
			return false;
		}
		Result status = pgCtl(Duration.ofSeconds(10), "status", "-D", this.dataDirectory.toString());
		if (status.exitCode() == 0) {
			return true;
		}
		if (status.exitCode() == 3) {
			return false;
		}
		return postmasterPid(this.dataDirectory).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
	}

	/**
	 * Stop the server the polite way ({@code pg_ctl stop -m fast}) and wait until it has gone. Does
	 * nothing if it is stopped already.
	 * @throws IllegalStateException if it does not stop in time
	 */
	public synchronized void stop() {
		checkOpen();
		long started = System.nanoTime();
		stop("fast");
		System.out.println(PREFIX + "private PostgreSQL on 127.0.0.1:" + this.port + " stopped in "
				+ PrivateServers.millisSince(started) + " ms");
	}

	/**
	 * Stop the server as a crash would ({@code pg_ctl stop -m immediate}): no checkpoint, so the next
	 * start runs crash recovery. Does nothing if it is stopped already.
	 * @throws IllegalStateException if it does not stop in time
	 */
	public synchronized void crash() {
		checkOpen();
		stop("immediate");
	}

	/**
	 * Start the server again after {@link #stop()} or {@link #crash()}, on the same port, and wait until
	 * it takes connections. Does nothing if it runs already.
	 * @throws IllegalStateException if it does not start in time, for instance because something else
	 * took its port meanwhile
	 */
	public synchronized void startAgain() {
		checkOpen();
		if (isRunning()) {
			return;
		}
		long started = System.nanoTime();
		Result result = startServer();
		if (result.exitCode() != 0) {
			throw failure("pg_ctl start failed", result);
		}
		awaitConnections();
		System.out.println(PREFIX + "private PostgreSQL on 127.0.0.1:" + this.port + " started again in "
				+ PrivateServers.millisSince(started) + " ms");
	}

	/**
	 * Stop the server ({@code -m fast}) and start it again on the same port.
	 * @throws IllegalStateException if it does not stop or start in time
	 */
	public synchronized void restart() {
		checkOpen();
		long started = System.nanoTime();
		stop("fast");
		startAgain();
		System.out.println(PREFIX + "private PostgreSQL on 127.0.0.1:" + this.port + " restarted in "
				+ PrivateServers.millisSince(started) + " ms");
	}

	/**
	 * The last lines of the server's log.
	 * @return the lines, or a note when there is no log
	 */
	public String logTail() {
		return PrivateServers.tail(this.logFile, LOG_TAIL_LINES);
	}

	/**
	 * Stop the server ({@code -m immediate}) and delete its directory. Closing twice does nothing.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			stopQuietly(this.asRoot, this.dataDirectory);
			PrivateServers.deleteTree(this.directory);
		}
		finally {
			open.remove(this);
		}
	}

	@Override
	public String toString() {
		return "PrivatePostgres[127.0.0.1:" + this.port + ((this.primary != null) ? ", replica of 127.0.0.1:"
				+ this.primary.port : "") + ", " + this.directory + "]";
	}

	private void initialize() {
		Result result = run(COMMAND_TIMEOUT, this.asRoot, this.directory, BIN.resolve("initdb").toString(), "-D",
				this.dataDirectory.toString(), "-U", USERNAME, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync",
				"--no-instructions");
		if (result.exitCode() != 0) {
			throw failure("initdb failed", result);
		}
		String settings = String.join("\n", "", "# private test server, see PrivatePostgres",
				"listen_addresses = '127.0.0.1'", "unix_socket_directories = ''", "fsync = off",
				"shared_buffers = 16MB", "max_connections = 50", "logging_collector = off",
				"log_line_prefix = '%m [%p] '", "");
		try {
			Files.writeString(this.dataDirectory.resolve("postgresql.conf"), settings, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to configure " + this.dataDirectory, ex);
		}
	}

	/**
	 * Fill this replica's empty directory from its running primary with {@code pg_basebackup}: {@code -R}
	 * writes {@code standby.signal} and {@code primary_conninfo}, {@code -X stream} brings the WAL written
	 * meanwhile. The primary's {@code pg_hba.conf} from {@code initdb -A trust} already trusts replication
	 * connections from 127.0.0.1, and its defaults ({@code wal_level=replica}, ten WAL senders) allow them.
	 */
	private void copyPrimary() {
		Result result = run(COMMAND_TIMEOUT, this.asRoot, this.directory, BIN.resolve("pg_basebackup").toString(),
				"-h", "127.0.0.1", "-p", String.valueOf(this.primary.port), "-U", USERNAME, "-D",
				this.dataDirectory.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync");
		if (result.exitCode() != 0) {
			throw this.primary.failure("pg_basebackup from it failed", result);
		}
		String settings = String.join("\n", "", "# streaming replica, see PrivatePostgres.startReplica",
				// the walreceiver's application_name, so that pg_stat_replication tells replicas apart
				"cluster_name = '" + replicationName() + "'",
				// the primary's lag readings refresh at each status reply: every second, not every 10 s
				"wal_receiver_status_interval = 1s",
				// the default, said here: a paused replica must not hold back the primary's vacuum
				"hot_standby_feedback = off", "");
		try {
			Files.writeString(this.dataDirectory.resolve("postgresql.conf"), settings, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to configure " + this.dataDirectory, ex);
		}
	}

	private void firstStart() {
		for (int attempt = 1;; attempt++) {
			this.port = PrivateServers.freePort();
			Result result = startServer();
			if (result.exitCode() == 0) {
				awaitConnections();
				return;
			}
			stopQuietly(this.asRoot, this.dataDirectory);
			boolean portTaken = logTail().contains("could not bind") || logTail().contains("already in use");
			if (!portTaken || attempt == PORT_ATTEMPTS) {
				throw failure("pg_ctl start failed", result);
			}
		}
	}

	private Result startServer() {
		return pgCtl(START_TIMEOUT.plusSeconds(10), "start", "-D", this.dataDirectory.toString(), "-l",
				this.logFile.toString(), "-o", "-p " + this.port, "-w", "-t", String.valueOf(START_TIMEOUT.toSeconds()));
	}

	private void awaitConnections() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		SQLException last = null;
		while (System.nanoTime() < deadline) {
			try (Connection connection = connect("postgres")) {
				return;
			}
			catch (SQLException ex) {
				last = ex;
			}
			PrivateServers.sleep(100);
		}
		IllegalStateException failure = new IllegalStateException("Private PostgreSQL on 127.0.0.1:" + this.port
				+ " took no connection within " + START_TIMEOUT.toSeconds() + " s; the tail of " + this.logFile
				+ ":\n" + logTail());
		if (last != null) {
			failure.initCause(last);
		}
		throw failure;
	}

	private void createDatabase() {
		try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
			statement.execute("create database " + DATABASE);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Failed to create the database " + DATABASE + " on 127.0.0.1:"
					+ this.port + "; the tail of " + this.logFile + ":\n" + logTail(), ex);
		}
	}

	private Connection connect(String database) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", USERNAME);
		properties.setProperty("password", "");
		properties.setProperty("connectTimeout", "5");
		properties.setProperty("loginTimeout", "10");
		return DriverManager.getConnection(jdbcUrl(database), properties);
	}

	private void stop(String mode) {
		if (!isRunning()) {
			return;
		}
		Result result = pgCtl(STOP_TIMEOUT.plusSeconds(10), "stop", "-D", this.dataDirectory.toString(), "-m", mode,
				"-w", "-t", String.valueOf(STOP_TIMEOUT.toSeconds()));
		if (result.exitCode() != 0 && isRunning()) {
			throw failure("pg_ctl stop -m " + mode + " failed", result);
		}
	}

	private Result pgCtl(Duration timeout, String... arguments) {
		return pgCtl(this.asRoot, this.directory, timeout, arguments);
	}

	/**
	 * The name of this replica in its primary's {@code pg_stat_replication} ({@code application_name})
	 * and in the title of its processes: the name of its directory, unique.
	 */
	String replicationName() {
		return this.directory.getFileName().toString();
	}

	/**
	 * The primary of this replica, {@code null} for a server made by {@link #start()}.
	 */
	PrivatePostgres primary() {
		return this.primary;
	}

	private PrivatePostgres replica() {
		if (this.primary == null) {
			throw new IllegalStateException(this + " is no replica; make one with startReplica()");
		}
		checkOpen();
		return this;
	}

	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException(this + " is closed");
		}
	}

	private IllegalStateException failure(String what, Result result) {
		return new IllegalStateException(what + " for private PostgreSQL in " + this.directory + " (port " + this.port
				+ ", exit code " + result.exitCode() + (result.timedOut() ? ", timed out" : "") + ")\ncommand: "
				+ String.join(" ", result.command()) + "\noutput:\n" + result.output() + "\nthe tail of " + this.logFile
				+ ":\n" + logTail());
	}

	// --- directories

	private static Path newDirectory(boolean asRoot) {
		Path target = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")), "target")
			.toAbsolutePath()
			.normalize();
		Path preferred = target.resolve("private-postgres");
		try {
			return newDirectory(preferred, asRoot);
		}
		catch (UnreachableException ex) {
			Path fallback = Paths.get(System.getProperty("java.io.tmpdir", "/tmp"), "private-postgres");
			System.out.println(PREFIX + ex.getMessage() + "; using " + fallback + " instead");
			try {
				return newDirectory(fallback, asRoot);
			}
			catch (UnreachableException again) {
				throw new IllegalStateException(again.getMessage() + ", nor " + preferred, again);
			}
		}
	}

	private static Path newDirectory(Path base, boolean asRoot) throws UnreachableException {
		try {
			Files.createDirectories(base);
			if (asRoot) {
				Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
			}
			PrivateServers.sweepStale(base, "PostgreSQL", (stale) -> stopQuietly(asRoot, stale.resolve("data")));
			Path directory = PrivateServers.newDirectory(base, "pg-");
			if (asRoot) {
				UserPrincipalLookupService lookup = directory.getFileSystem().getUserPrincipalLookupService();
				UserPrincipal user = lookup.lookupPrincipalByName(OS_USER);
				GroupPrincipal group = lookup.lookupPrincipalByGroupName(OS_USER);
				PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
				view.setOwner(user);
				view.setGroup(group);
				Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
				Result check = run(Duration.ofSeconds(10), true, Paths.get("/"), "test", "-d", directory.toString(), "-a",
						"-w", directory.toString(), "-a", "-x", directory.toString());
				if (check.exitCode() != 0) {
					PrivateServers.deleteTree(directory);
					throw new UnreachableException("The " + OS_USER + " user cannot reach " + directory
							+ blockingParent(directory));
				}
			}
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to make a directory for a private PostgreSQL under " + base, ex);
		}
	}

	private static String blockingParent(Path directory) {
		List<Path> ancestors = new ArrayList<>();
		for (Path parent = directory.getParent(); parent != null; parent = parent.getParent()) {
			ancestors.add(0, parent);
		}
		for (Path ancestor : ancestors) {
			if (run(Duration.ofSeconds(10), true, Paths.get("/"), "test", "-x", ancestor.toString()).exitCode() != 0) {
				return " (it may not traverse " + ancestor + ")";
			}
		}
		return "";
	}

	// --- processes

	private static void stopQuietly(boolean asRoot, Path dataDirectory) {
		Optional<Long> pid = postmasterPid(dataDirectory);
		if (pid.isEmpty()) {
			return;
		}
		pgCtl(asRoot, dataDirectory.getParent(), STOP_TIMEOUT.plusSeconds(10), "stop", "-D", dataDirectory.toString(),
				"-m", "immediate", "-w", "-t", String.valueOf(STOP_TIMEOUT.toSeconds()));
		ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive).ifPresent((postmaster) -> {
			postmaster.destroyForcibly();
			postmaster.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally((ex) -> null).join();
		});
	}

	private static Optional<Long> postmasterPid(Path dataDirectory) {
		Path pidFile = dataDirectory.resolve("postmaster.pid");
		try {
			if (!Files.exists(pidFile)) {
				return Optional.empty();
			}
			List<String> lines = Files.readAllLines(pidFile);
			return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
		}
		catch (IOException | NumberFormatException ex) {
			return Optional.empty();
		}
	}

	private static Result pgCtl(boolean asRoot, Path workingDirectory, Duration timeout, String... arguments) {
		String[] command = new String[arguments.length + 1];
		command[0] = BIN.resolve("pg_ctl").toString();
		System.arraycopy(arguments, 0, command, 1, arguments.length);
		return run(timeout, asRoot, workingDirectory, command);
	}

	/**
	 * Run a command, as the {@code postgres} user when the JVM runs as root, with its output in a file so
	 * that a server it starts holds no pipe of ours; kill it with its children past the timeout.
	 */
	private static Result run(Duration timeout, boolean asPostgres, Path workingDirectory, String... command) {
		List<String> full = new ArrayList<>();
		if (asPostgres) {
			full.addAll(List.of("runuser", "-u", OS_USER, "--"));
		}
		full.addAll(List.of(command));
		Path output = null;
		try {
			output = Files.createTempFile("private-postgres-", ".out");
			ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.redirectInput(new File("/dev/null"));
			if (Files.isDirectory(workingDirectory)) {
				builder.directory(workingDirectory.toFile());
			}
			builder.environment().keySet().removeIf((name) -> name.startsWith("PG"));
			builder.environment().put("LC_ALL", "C");
			Process process = builder.start();
			boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!finished) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
			}
			String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
			return new Result(full, finished ? process.exitValue() : -1, finished ? text : text + "\n(timed out after "
					+ timeout.toSeconds() + " s)", !finished);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to run " + String.join(" ", full), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + String.join(" ", full), ex);
		}
		finally {
			if (output != null) {
				try {
					Files.deleteIfExists(output);
				}
				catch (IOException ex) {
					// a temporary file is left
				}
			}
		}
	}

	// --- helpers

	private static boolean isRoot() {
		try {
			return ((Integer) Files.getAttribute(Paths.get("/proc/self"), "unix:uid")) == 0;
		}
		catch (IOException | RuntimeException ex) {
			return "root".equals(System.getProperty("user.name"));
		}
	}

	private record Result(List<String> command, int exitCode, String output, boolean timedOut) {
	}

	private static final class UnreachableException extends Exception {

		UnreachableException(String message) {
			super(message);
		}

	}

}
