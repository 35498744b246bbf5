package dev.datamigrate.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Rows per second of a backfill ({@code set purpose = 'unknown' where purpose is null}) over the same
 * PostgreSQL table, made anew before each way: (a) one UPDATE statement, (b) the starter with its default
 * settings (batches sized by time) and with fixed sizes, by {@code update(sql)} and by a handler, and on a
 * column added just before the walk, (c) a hand-written JDBC keyset loop, (d) a Spring Data JPA loop (see
 * {@link Ways}); then what the backfill costs pgbench's traffic, with and without a latency throttle (see
 * {@link Traffic}). Prints a table and writes BENCHMARKS.md. Run on demand, see {@link Settings#COMMAND}.
 */
public final class Benchmark {

	private Benchmark() {
	}

	public static void main(String[] args) throws Exception {
		Settings settings = Settings.fromSystem();
		String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		String schema = "dm_bench_" + suffix;
		Machine machine = Machine.describe(settings);
		System.out.printf(Locale.ROOT, "Benchmark on %s: %,d rows, %d round(s), schema %s%n", settings.url(),
				settings.rows(), settings.rounds(), schema);
		execute(settings, "create schema " + schema);
		try (DelayingRelay relay = (settings.delayMicros() > 0) ? settings.relay() : null;
				HikariDataSource dataSource = settings.through(relay).dataSource(schema);
				Ways ways = new Ways(settings.through(relay), dataSource, schema)) {
			Network network = network(settings, relay);
			System.out.printf(Locale.ROOT, "Warm-up: each way once on %,d rows%n", settings.warmupRows());
			ways.runAll(settings.warmupRows(), 0, null);
			Map<String, List<Result>> rounds = new LinkedHashMap<>();
			for (int round = 1; round <= settings.rounds(); round++) {
				System.out.printf(Locale.ROOT, "Round %d of %d on %,d rows%n", round, settings.rounds(), settings.rows());
				ways.runAll(settings.rows(), round - 1, rounds);
			}
			double checkRound = CheckRound.medianMillis(dataSource, BenchTable.NAME);
			TrafficReport traffic = null;
			if (settings.traffic()) {
				String loadAtStart = Machine.loadAverage();
				String[] version = { "pgbench" };
				List<Traffic.Run> runs = Traffic.measure(settings, ways, suffix, (text) -> version[0] = text);
				traffic = new TrafficReport(settings, runs, "bench_pgbench_" + suffix, version[0], loadAtStart,
						Machine.loadAverage(),
						Result.median(rounds.get(Ways.B_SQL)).rowsPerSecond());
			}
			Report report = new Report(settings, machine.withLoadAtEnd(), network, rounds, ways.countNanos(),
					checkRound, traffic);
			System.out.println();
			System.out.println(report.table());
			Path output = settings.output().toAbsolutePath();
			Files.createDirectories(output.getParent());
			// the startup and parallel-walk benchmarks' sections are written by their own runs
			Files.writeString(output, report.markdown() + StartupReport.section(output) + ParallelReport.section(output));
			System.out.println("Wrote " + output.normalize());
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

	private static void execute(Settings settings, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
