package dev.datamigrate.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.datamigrate.benchmarks.starter.LatencyThrottle;

/**
 * pgbench in a database of its own, made with {@code pgbench -i} and dropped on close, so that its tables
 * never touch other data. Each run has 4 clients on 2 threads, no rate limit, and writes a per-transaction
 * log (one file per thread) that {@link Run#window} reads.
 */
final class Pgbench implements AutoCloseable {

	static final int SCALE = 10;

	static final int CLIENTS = 4;

	static final int THREADS = 2;

	/** Runs end when stopped; this only bounds a run that is never stopped. */
	private static final int MAX_SECONDS = 3600;

	/**
	 * pgbench's built-in scripts that the traffic part runs.
	 */
	enum Load {

		SELECT_ONLY("select-only (`-S`)", "-S"), TPCB_LIKE("tpcb-like (the default)", null);

		final String label;

		final String option;

		Load(String label, String option) {
			this.label = label;
			this.option = option;
		}

	}

	private final Settings settings;

	private final String database;

	private final Path directory;

	private Pgbench(Settings settings, String database, Path directory) {
		this.settings = settings;
		this.database = database;
		this.directory = directory;
	}

	/**
	 * Create the database and fill it with {@code pgbench -i -s 10}.
	 * @param settings where the database server is (pgbench connects to it directly, never through a relay)
	 * @param database the name of the database to create
	 * @param directory where the logs and pgbench's output go
	 * @return the pgbench database
	 */
	static Pgbench create(Settings settings, String database, Path directory) throws Exception {
		Files.createDirectories(directory);
		Pgbench pgbench = new Pgbench(settings, database, directory);
		pgbench.execute("drop database if exists " + database + " with (force)");
		pgbench.execute("create database " + database);
		Process init = pgbench.process(directory.resolve("init.out"), "-i", "-q", "-s", String.valueOf(SCALE));
		if (!init.waitFor(10, TimeUnit.MINUTES) || init.exitValue() != 0) {
			init.destroy();
			throw new IllegalStateException("pgbench -i failed: " + tail(directory.resolve("init.out")));
		}
		return pgbench;
	}

	/** What {@code pgbench --version} prints, as in {@code pgbench (PostgreSQL) 15.20}. */
	String version() throws Exception {
		Process process = new ProcessBuilder(this.settings.pgbench(), "--version").redirectErrorStream(true).start();
		String version = new String(process.getInputStream().readAllBytes()).trim();
		process.waitFor(10, TimeUnit.SECONDS);
		return version;
	}

	/**
	 * Start a run of a load; it goes on until {@link Run#stop()}.
	 * @param load the script
	 * @param name names the log files and the output
	 * @return the run
	 */
	Run start(Load load, String name) throws IOException {
		Path prefix = this.directory.resolve(name);
		List<String> args = new ArrayList<>(List.of("-c", String.valueOf(CLIENTS), "-j", String.valueOf(THREADS), "-T",
				String.valueOf(MAX_SECONDS), "-l", "--log-prefix=" + prefix));
		if (load.option != null) {
			args.add(load.option);
		}
		Path output = this.directory.resolve(name + ".out");
		Process process = process(output, args.toArray(String[]::new));
		List<Path> logs = new ArrayList<>();
		logs.add(Path.of(prefix + "." + process.pid()));
		for (int thread = 1; thread < THREADS; thread++) {
			logs.add(Path.of(prefix + "." + process.pid() + "." + thread));
		}
		return new Run(process, List.copyOf(logs), output);
	}

	private Process process(Path output, String... args) throws IOException {
		String[] hostAndPort = this.settings.hostAndPort();
		List<String> command = new ArrayList<>(List.of(this.settings.pgbench(), "-h", hostAndPort[0], "-p",
				hostAndPort[1], "-U", this.settings.user()));
		command.addAll(Arrays.asList(args));
		command.add(this.database);
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		if (!this.settings.password().isEmpty()) {
			builder.environment().put("PGPASSWORD", this.settings.password());
		}
		return builder.start();
	}

	void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.settings.url(), this.settings.user(),
				this.settings.password()); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	@Override
	public void close() throws SQLException {
		execute("drop database if exists " + this.database + " with (force)");
	}

	private static String tail(Path file) {
		try {
			List<String> lines = Files.readAllLines(file);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	/**
	 * The transactions one run completed within a window.
	 * @param transactions how many
	 * @param seconds the window's length
	 * @param p50Micros median latency
	 * @param p99Micros 99th percentile of latency
	 */
	record Window(long transactions, double seconds, double p50Micros, double p99Micros) {

		double tps() {
			return this.transactions / this.seconds;
		}

	}

	/**
	 * A running pgbench.
	 * @param process the pgbench process
	 * @param logs its per-transaction log files, one per thread
	 * @param output its standard output and error
	 */
	record Run(Process process, List<Path> logs, Path output) {

		/**
		 * Wait until every thread has logged transactions (pgbench vacuums its tables before it starts),
		 * then one second more.
		 */
		void awaitStarted() throws Exception {
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
			while (!this.logs.stream().allMatch((log) -> size(log) > 0)) {
				if (!this.process.isAlive() || System.nanoTime() > deadline) {
					this.process.destroy();
					throw new IllegalStateException("pgbench did not start: " + tail(this.output));
				}
				Thread.sleep(50);
			}
			Thread.sleep(1_000);
		}

		/**
		 * Stop pgbench after two more seconds, so that its buffered log lines of the window before are written
		 * (pgbench writes them through a buffer; the lines still in it when it is killed are lost).
		 */
		void stop() throws InterruptedException {
			Thread.sleep(2_000);
			if (!this.process.isAlive()) {
				throw new IllegalStateException("pgbench ended early: " + tail(this.output));
			}
			this.process.destroy();
			this.process.waitFor(30, TimeUnit.SECONDS);
		}

		/**
		 * The transactions that completed from {@code fromMicros} to {@code toMicros} (epoch microseconds).
		 * @return their count and latencies
		 */
		Window window(long fromMicros, long toMicros) throws IOException {
			long[] latencies = new long[1 << 16];
			int count = 0;
			for (Path log : this.logs) {
				try (Stream<String> lines = Files.lines(log)) {
					for (String line : (Iterable<String>) lines::iterator) {
						long[] transaction = LatencyThrottle.parse(line);
						if (transaction != null && transaction[0] >= fromMicros && transaction[0] <= toMicros) {
							if (count == latencies.length) {
								latencies = Arrays.copyOf(latencies, 2 * count);
							}
							latencies[count++] = transaction[1];
						}
					}
				}
			}
			long[] window = Arrays.copyOf(latencies, count);
			return new Window(count, (toMicros - fromMicros) / 1e6, Result.percentile(window, 50),
					Result.percentile(window, 99));
		}

		private static long size(Path log) {
			try {
				return Files.exists(log) ? Files.size(log) : 0;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
