package dev.datamigrate.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.benchmarks.jpa.JpaBenchmark;
import dev.datamigrate.benchmarks.starter.StarterBenchmark;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows per second of a backfill ({@code set purpose = 'unknown' where purpose is null}) over the same
 * PostgreSQL table, made anew before each way: (a) one UPDATE statement, (b) the starter's batches of
 * 1,000 and 10,000, by {@code update(sql)} and by a handler, (c) a hand-written JDBC keyset loop with
 * the same SQL and a checkpoint per batch, (d) a Spring Data JPA loop; for reference, (e) the loop of (c)
 * inside PostgreSQL and (f) with one round trip a batch. Prints a table and writes BENCHMARKS.md. Run on
 * demand, see {@link #COMMAND}.
 */
public final class Benchmark {

	static final String COMMAND = "./mvnw -q -pl benchmarks -am -Dmaven.test.skip=true -Pbenchmark package -Dbenchmark.rows=1000000";

	private Benchmark() {
	}

	public static void main(String[] args) throws Exception {
		Settings settings = Settings.fromSystem();
		String schema = "dm_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		Machine machine = Machine.describe(settings);
		System.out.printf(Locale.ROOT, "Benchmark on %s: %,d rows, %d round(s), schema %s%n", settings.url(),
				settings.rows(), settings.rounds(), schema);
		execute(settings, "create schema " + schema);
		try (DelayingRelay relay = (settings.delayMicros() > 0) ? settings.relay() : null;
				HikariDataSource dataSource = dataSource(settings.through(relay), schema);
				Ways ways = new Ways(settings.through(relay), dataSource, schema)) {
			Network network = network(settings, relay);
			System.out.printf(Locale.ROOT, "Warm-up: each way once on %,d rows%n", settings.warmupRows());
			ways.runAll(settings.warmupRows(), 0, null);
			Map<String, List<Result>> rounds = new LinkedHashMap<>();
			for (int round = 1; round <= settings.rounds(); round++) {
				System.out.printf(Locale.ROOT, "Round %d of %d on %,d rows%n", round, settings.rounds(), settings.rows());
				ways.runAll(settings.rows(), round - 1, rounds);
			}
			Report report = new Report(settings, machine.withLoadAtEnd(), network, rounds, ways.countNanos);
			System.out.println();
			System.out.println(report.table());
			Path output = settings.output().toAbsolutePath();
			Files.createDirectories(output.getParent());
			Files.writeString(output, report.markdown());
			System.out.println("Wrote " + settings.output().toAbsolutePath().normalize());
		}
		finally {
			execute(settings, "drop schema if exists " + schema + " cascade");
		}
	}

	/**
	 * How the benchmark reaches PostgreSQL, with the measured round trip of {@code select 1}.
	 */
	private static Network network(Settings settings, DelayingRelay relay) throws SQLException {
		double direct = roundTripMillis(settings);
		if (relay == null) {
			return new Network(String.format(Locale.ROOT, "on the same machine over TCP (%s); a round trip of "
					+ "`select 1` takes %.3f ms (median of 1,000)", settings.url(), direct), direct);
		}
		double relayed = roundTripMillis(settings.through(relay));
		return new Network(String.format(Locale.ROOT, "on the same machine (%s), reached through a relay in the "
				+ "benchmark's JVM that holds every chunk of bytes %d µs in each direction, to stand in for a "
				+ "network: a round trip of `select 1` takes %.3f ms through it, %.3f ms direct (medians of 1,000)",
				settings.url(), settings.delayMicros(), relayed, direct), relayed);
	}

	/**
	 * How the ways reach PostgreSQL.
	 * @param description for the report
	 * @param roundTripMillis the round trip of {@code select 1} the ways see
	 */
	record Network(String description, double roundTripMillis) {
	}

	private static double roundTripMillis(Settings settings) throws SQLException {
		long[] nanos = new long[1_000];
		try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
				Statement statement = connection.createStatement()) {
			for (int i = -100; i < nanos.length; i++) {
				long start = System.nanoTime();
				statement.execute("select 1");
				if (i >= 0) {
					nanos[i] = System.nanoTime() - start;
				}
			}
		}
		return Result.percentileMillis(nanos, 50);
	}

	private static HikariDataSource dataSource(Settings settings, String schema) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(settings.urlWithSchema(schema));
		dataSource.setUsername(settings.user());
		dataSource.setPassword(settings.password());
		dataSource.setMaximumPoolSize(2);
		return dataSource;
	}

	private static void execute(Settings settings, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/**
	 * The ways, each run on a table made anew.
	 */
	static final class Ways implements AutoCloseable {

		static final String A = "(a) one UPDATE statement";

		static final String BS1K = "(b) starter, update(sql), batches of 1,000";

		static final String BS10K = "(b) starter, update(sql), batches of 10,000";

		static final String B1K = "(b) starter, run(handler), batches of 1,000";

		static final String B10K = "(b) starter, run(handler), batches of 10,000";

		static final String B1K_SYNC = "(b) starter, run(handler), batches of 1,000, synchronous-commit=true";

		static final String B10K_SYNC = "(b) starter, run(handler), batches of 10,000, synchronous-commit=true";

		static final String B1K_NO_READ_AHEAD = "(b) starter, run(handler), batches of 1,000, read-ahead=false";

		static final String B10K_NO_READ_AHEAD = "(b) starter, run(handler), batches of 10,000, read-ahead=false";

		static final String C1K = "(c) hand-written JDBC loop, batches of 1,000";

		static final String C10K = "(c) hand-written JDBC loop, batches of 10,000";

		static final String D = "(d) Spring Data JPA, chunks of 1,000";

		static final String E1K = "(e) the loop of (c) inside PostgreSQL (PL/pgSQL), batches of 1,000";

		static final String F1K = "(f) the loop of (c), one round trip a batch, batches of 1,000";

		private final Settings settings;

		private final HikariDataSource dataSource;

		private final StarterBenchmark starter;

		private final StarterBenchmark synchronous;

		private final StarterBenchmark noReadAhead;

		private final JpaBenchmark jpa;

		/** Time of the starter's one {@code count(*)} of the rows to change, measured apart. */
		long countNanos;

		Ways(Settings settings, HikariDataSource dataSource, String schema) {
			this.settings = settings;
			this.dataSource = dataSource;
			List<String> datasourceArgs = List.of("--spring.datasource.url=" + settings.urlWithSchema(schema),
					"--spring.datasource.username=" + settings.user(),
					"--spring.datasource.password=" + settings.password());
			String logFile = Path.of("target", "benchmark-starter-events.log").toAbsolutePath().toString();
			// the starter's application first: Spring Boot sets up logging (appenders) once per JVM, with the
			// settings of the first application; later ones only set levels
			this.starter = StarterBenchmark.start(datasourceArgs, logFile);
			this.synchronous = StarterBenchmark.start(datasourceArgs, logFile,
					"--data-migrate.batch.synchronous-commit=true");
			this.noReadAhead = StarterBenchmark.start(datasourceArgs, logFile, "--data-migrate.batch.read-ahead=false");
			this.jpa = JpaBenchmark.start(datasourceArgs);
		}

		@Override
		public void close() {
			this.jpa.close();
			this.noReadAhead.close();
			this.synchronous.close();
			this.starter.close();
		}

		/**
		 * Run every way once on a table of {@code rows} rows, and the one statement (a) twice: first and
		 * last, so that its figure for the round, the mean of both times, cancels out a steady drift of this
		 * machine's speed for the ways in between. Those start with the {@code shift}th way and wrap around,
		 * so that over the rounds no way always runs in the same place.
		 * @param rows table size
		 * @param shift how many ways to move from the front to the back
		 * @param results where to add the results, or {@code null} for a warm-up
		 */
		void runAll(int rows, int shift, Map<String, List<Result>> results) throws Exception {
			long jpaRows = Math.min(rows, this.settings.jpaRows());
			Work single = () -> {
				this.countNanos = timeCount();
				return PlainJdbc.singleStatement(this.dataSource);
			};
			Map<String, Work> ways = new LinkedHashMap<>();
			ways.put(BS1K, () -> this.starter.run(1_000, true));
			ways.put(BS10K, () -> this.starter.run(10_000, true));
			ways.put(B1K, () -> this.starter.run(1_000, false));
			ways.put(C1K, () -> PlainJdbc.keysetLoop(this.dataSource, 1_000));
			ways.put(B10K, () -> this.starter.run(10_000, false));
			ways.put(C10K, () -> PlainJdbc.keysetLoop(this.dataSource, 10_000));
			ways.put(B1K_NO_READ_AHEAD, () -> this.noReadAhead.run(1_000, false));
			ways.put(B10K_NO_READ_AHEAD, () -> this.noReadAhead.run(10_000, false));
			ways.put(B1K_SYNC, () -> this.synchronous.run(1_000, false));
			ways.put(B10K_SYNC, () -> this.synchronous.run(10_000, false));
			ways.put(D, () -> this.jpa.run(1_000, jpaRows));
			ways.put(E1K, () -> PlainJdbc.serverLoop(this.dataSource, 1_000));
			ways.put(F1K, () -> PlainJdbc.oneRoundTripLoop(this.dataSource, 1_000));
			List<String> order = new ArrayList<>(ways.keySet());
			Collections.rotate(order, -shift);
			Result first = run(A, rows, rows, single);
			Map<String, Result> round = new LinkedHashMap<>();
			for (String way : order) {
				round.put(way, run(way, rows, way.equals(D) ? jpaRows : rows, ways.get(way)));
			}
			Result last = run(A, rows, rows, single);
			if (results != null) {
				results.computeIfAbsent(A, (key) -> new ArrayList<>())
					.add(new Result(rows, (first.nanos() + last.nanos()) / 2, new long[0]));
				for (String way : ways.keySet()) {
					results.computeIfAbsent(way, (key) -> new ArrayList<>()).add(round.get(way));
				}
			}
		}

		private Result run(String way, int rows, long expected, Work work) throws Exception {
			BenchTable.recreate(this.dataSource, rows);
			ThreadMXBean threads = ManagementFactory.getThreadMXBean();
			long cpu = threads.getCurrentThreadCpuTime();
			Result result = work.run();
			result = result.withCpuNanos(threads.getCurrentThreadCpuTime() - cpu);
			verify(way, result, expected);
			System.out.printf(Locale.ROOT, "  %-50s %,10d rows in %8.3f s = %,10.0f rows/s (JVM thread CPU %.3f s)%n",
					way, result.rowsChanged(), result.nanos() / 1e9, result.rowsPerSecond(), result.cpuNanos() / 1e9);
			return result;
		}

		private void verify(String way, Result result, long expected) {
			Long changed = new JdbcTemplate(this.dataSource)
				.queryForObject("select count(*) from " + BenchTable.NAME + " where purpose = 'unknown'", Long.class);
			if (result.rowsChanged() != expected || changed == null || changed != expected) {
				throw new IllegalStateException(way + " should have changed " + expected + " rows; it reported "
						+ result.rowsChanged() + " and the table has " + changed);
			}
		}

		private long timeCount() {
			long start = System.nanoTime();
			new JdbcTemplate(this.dataSource)
				.queryForObject("select count(*) from " + BenchTable.NAME + " where (purpose is null)", Long.class);
			return System.nanoTime() - start;
		}

	}

	@FunctionalInterface
	interface Work {

		Result run() throws Exception;

	}

	/**
	 * What to run, from system properties ({@code -Dbenchmark.rows=...}) or environment variables
	 * ({@code BENCHMARK_ROWS=...}); blank values count as absent.
	 */
	record Settings(String url, String user, String password, int rows, int rounds, int warmupRows, int jpaRows,
			int delayMicros, String note, Path output, ZonedDateTime start) {

		private static final Pattern HOST_AND_PORT = Pattern.compile("^(jdbc:postgresql:)//([^/:?,]+)(?::(\\d+))?/");

		static Settings fromSystem() {
			return new Settings(get("url", "jdbc:postgresql://127.0.0.1:5432/test"), get("user", "postgres"),
					get("password", ""), Integer.parseInt(get("rows", "1000000")),
					Integer.parseInt(get("rounds", "3")), Integer.parseInt(get("warmup-rows", "100000")),
					Integer.parseInt(get("jpa-rows", "100000")), Integer.parseInt(get("delay-us", "0")), get("note", ""),
					Path.of(get("output", "BENCHMARKS.md")), ZonedDateTime.now());
		}

		/** A relay to the database that delays every chunk by {@link #delayMicros()}. */
		DelayingRelay relay() throws IOException {
			Matcher address = HOST_AND_PORT.matcher(this.url);
			if (!address.find()) {
				throw new IllegalArgumentException("-Dbenchmark.delay-us needs a URL with one host, as in "
						+ "jdbc:postgresql://127.0.0.1:5432/test, not " + this.url);
			}
			int port = (address.group(3) != null) ? Integer.parseInt(address.group(3)) : 5432;
			return DelayingRelay.start(address.group(2), port, this.delayMicros);
		}

		/** These settings with the URL of the relay, if there is one. */
		Settings through(DelayingRelay relay) {
			if (relay == null) {
				return this;
			}
			String url = HOST_AND_PORT.matcher(this.url).replaceFirst("$1//127.0.0.1:" + relay.port() + "/");
			return new Settings(url, this.user, this.password, this.rows, this.rounds, this.warmupRows, this.jpaRows,
					this.delayMicros, this.note, this.output, this.start);
		}

		private static String get(String name, String fallback) {
			String value = System.getProperty("benchmark." + name);
			if (value == null || value.isBlank()) {
				value = System.getenv("BENCHMARK_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
			}
			return (value == null || value.isBlank()) ? fallback : value;
		}

		String urlWithSchema(String schema) {
			return this.url + (this.url.contains("?") ? "&" : "?") + "currentSchema=" + schema + "&ApplicationName=data-migrate-benchmark";
		}

		/** The command that reproduces this run. */
		String command() {
			String command = COMMAND;
			if (this.rows != 1_000_000) {
				command = command.replace("-Dbenchmark.rows=1000000", "-Dbenchmark.rows=" + this.rows);
			}
			if (this.rounds != 3) {
				command += " -Dbenchmark.rounds=" + this.rounds;
			}
			if (this.warmupRows != 100_000) {
				command += " -Dbenchmark.warmup-rows=" + this.warmupRows;
			}
			if (this.jpaRows != 100_000) {
				command += " -Dbenchmark.jpa-rows=" + this.jpaRows;
			}
			if (this.delayMicros != 0) {
				command += " -Dbenchmark.delay-us=" + this.delayMicros;
			}
			if (!this.output.getFileName().toString().equals("BENCHMARKS.md")) {
				command += " -Dbenchmark.output=" + this.output.getFileName();
			}
			return command;
		}

	}

}
