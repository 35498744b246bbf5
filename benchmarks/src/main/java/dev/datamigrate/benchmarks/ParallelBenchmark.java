package dev.datamigrate.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.benchmarks.parallel.ParallelApplication;
import dev.datamigrate.benchmarks.parallel.ParallelApplication.JvmFigures;
import dev.datamigrate.benchmarks.parallel.ParallelJvm;

import org.springframework.util.FileSystemUtils;

/**
 * Parallel walks on PostgreSQL, each way in JVMs of the application of its own ({@link ParallelJvm}),
 * started at once with {@code data-migrate.on-startup=run}: where the application is the bottleneck (a
 * handler that sleeps about 2 ms per row of its batch, then updates the batch's rows), one worker, then
 * {@code parallel(4)} in one JVM, then two JVMs with {@code parallel(4)} each (the second joins); where the
 * database is (the throughput benchmark's {@code update(sql)} backfill, batches sized by time), the plain
 * walk and {@code parallel(1)}, {@code (2)} and {@code (4)}. Each way's time is the history's, from the
 * migration's start to SUCCEEDED. Writes its section of BENCHMARKS.md ({@link ParallelReport}). Run on
 * demand, see {@link #COMMAND}.
 */
public final class ParallelBenchmark {

	static final String COMMAND = "./mvnw -q -pl benchmarks -am -Dmaven.test.skip=true -Pparallel-benchmark package";

	/** Keys per batch of the application-bound walk, so that each batch sleeps as long. */
	static final int HANDLER_BATCH_SIZE = 100;

	private ParallelBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Settings settings = Settings.fromSystem();
		int appRows = Integer.parseInt(get("app-rows", "100000"));
		int dbRows = Integer.parseInt(get("db-rows", "1000000"));
		long rowMicros = Long.parseLong(get("row-micros", "2000"));
		String schema = "dm_parallel_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		Machine machine = Machine.describe(settings);
		Path logs = Path.of("target", "parallel-benchmark").toAbsolutePath();
		System.out.printf(Locale.ROOT, "Parallel-walk benchmark on %s, schema %s: %,d rows at %d µs a row by a "
				+ "handler, %,d rows by update(sql); JVM output in %s%n", settings.url(), schema, appRows, rowMicros,
				dbRows, logs);
		FileSystemUtils.deleteRecursively(logs);
		execute(settings, "create schema " + schema);
		try (HikariDataSource dataSource = settings.dataSource(schema)) {
			List<String> arguments = List.of("--spring.datasource.url=" + settings.urlWithSchema(schema),
					"--spring.datasource.username=" + settings.user(), "--spring.datasource.password=" + settings.password(),
					"--data-migrate.on-startup=run", "--benchmark.parallel.row-micros=" + rowMicros);
			List<ParallelRun> database = new ArrayList<>();
			for (int workers : new int[] { 0, 1, 2, 4 }) {
				BenchTable.recreate(dataSource, dbRows, false);
				dropRanges(dataSource);
				database.add(run(dataSource, arguments, logs, "update", workers, 1, dbRows, rowMicros,
						(workers == 0) ? "plain walk" : "parallel(" + workers + ")"));
				checkNoNullPurpose(dataSource);
			}
			List<ParallelRun> application = new ArrayList<>();
			for (int[] way : new int[][] { { 0, 1 }, { 4, 1 }, { 4, 2 } }) {
				recreateItems(dataSource, appRows);
				application.add(run(dataSource, arguments, logs, "handler", way[0], way[1], appRows, rowMicros,
						(way[0] == 0) ? "1 worker (plain walk)"
								: (way[1] == 1) ? "parallel(4), 1 JVM" : "parallel(4) in each of 2 JVMs"));
				checkEveryItemOnce(dataSource);
			}
			ParallelReport report = new ParallelReport(settings, machine.withLoadAtEnd(), command(appRows, dbRows,
					rowMicros), appRows, dbRows, rowMicros, application, database);
			System.out.println();
			System.out.println(report.tables());
			report.write(settings.output().toAbsolutePath());
			System.out.println("Wrote " + settings.output().toAbsolutePath().normalize());
		}
		finally {
			execute(settings, "drop schema if exists " + schema + " cascade");
		}
	}

	private static ParallelRun run(HikariDataSource dataSource, List<String> common, Path logs, String work,
			int workers, int jvms, long rows, long rowMicros, String way) throws Exception {
		List<String> arguments = new ArrayList<>(common);
		arguments.add("--benchmark.parallel.work=" + work);
		arguments.add("--benchmark.parallel.workers=" + workers);
		if (work.equals("handler")) {
			arguments.add("--benchmark.parallel.size=" + HANDLER_BATCH_SIZE);
		}
		String name = work + "-" + workers + "x" + jvms;
		System.out.printf(Locale.ROOT, "%s, %s: %d JVM(s)...%n", work.equals("handler") ? "Application-bound"
				: "Database-bound", way, jvms);
		// a bound well above what the walk should take: 20,000 rows/s for update(sql), the sleep for a handler
		double expected = work.equals("handler")
				? rows * rowMicros / 1e6 / (jvms * Math.max(1, workers)) : rows / 20_000.0;
		List<JvmFigures> figures = ParallelJvm.run(jvms, arguments, logs, name, 60 + (long) (3 * expected));
		ParallelRun run = read(dataSource, way, jvms, workers, rows, figures);
		System.out.printf(Locale.ROOT, "  %.1f s, %,.0f rows/s, %d ranges %s (lead %s), %d batches, workers busy "
				+ "%.1f%%, first batches at %s ms, last commits %s ms before SUCCEEDED%n", run.seconds(),
				run.rowsPerSecond(), run.ranges(), run.owners(), run.lead(), run.batches(), 100 * run.busyShare(),
				run.firstBatchMillis(), run.tailMillis());
		return run;
	}

	/**
	 * The history's and the ranges table's figures of the way's run, checked: SUCCEEDED, every row
	 * processed once, every range DONE.
	 */
	private static ParallelRun read(HikariDataSource dataSource, String way, int jvms, int workers, long rows,
			List<JvmFigures> figures) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			long duration;
			long started;
			String lead;
			try (ResultSet result = statement.executeQuery("select status, duration_ms, started_at, records_processed, "
					+ "executed_by from data_migrations where version = '1'")) {
				if (!result.next() || !result.getString(1).equals("SUCCEEDED") || result.getLong(4) != rows) {
					throw new IllegalStateException(way + ": expected SUCCEEDED with " + rows + " records processed");
				}
				duration = result.getLong(2);
				started = result.getTimestamp(3).toInstant().toEpochMilli();
				lead = result.getString(5);
			}
			int ranges = 0;
			List<ParallelRun.Owner> owners = new ArrayList<>();
			if (workers > 0) {
				try (ResultSet result = statement.executeQuery("select executed_by, count(*), sum(records_processed), "
						+ "count(*) filter (where status <> 'DONE') from data_migrations_ranges where version = '1' "
						+ "group by executed_by order by executed_by")) {
					while (result.next()) {
						if (result.getInt(4) != 0) {
							throw new IllegalStateException(way + ": " + result.getInt(4) + " ranges not DONE");
						}
						owners.add(new ParallelRun.Owner(result.getString(1), result.getInt(2), result.getLong(3)));
						ranges += result.getInt(2);
					}
				}
			}
			return new ParallelRun(way, jvms, workers, rows, duration, started, figures, ranges, owners, lead);
		}
	}

	private static void recreateItems(HikariDataSource dataSource, int rows) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("drop table if exists " + ParallelApplication.ITEMS);
			statement.execute("drop table if exists data_migrations");
			dropRanges(statement);
			statement.execute("create table " + ParallelApplication.ITEMS + " (id bigint primary key, n int not null) "
					+ "with (autovacuum_enabled = false)");
			statement.execute("insert into " + ParallelApplication.ITEMS + " select i, 0 from generate_series(1, " + rows
					+ ") i");
			statement.execute("vacuum analyze " + ParallelApplication.ITEMS);
			statement.execute("checkpoint");
		}
	}

	private static void dropRanges(HikariDataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			dropRanges(statement);
		}
	}

	private static void dropRanges(Statement statement) throws SQLException {
		statement.execute("drop table if exists data_migrations_ranges");
	}

	private static void checkEveryItemOnce(HikariDataSource dataSource) throws SQLException {
		long wrong = count(dataSource, "select count(*) from " + ParallelApplication.ITEMS + " where n <> 1");
		if (wrong != 0) {
			throw new IllegalStateException(wrong + " rows were not updated exactly once");
		}
	}

	private static void checkNoNullPurpose(HikariDataSource dataSource) throws SQLException {
		long left = count(dataSource, "select count(*) from " + BenchTable.NAME + " where purpose is null");
		if (left != 0) {
			throw new IllegalStateException(left + " rows were left with a null purpose");
		}
	}

	private static long count(HikariDataSource dataSource, String sql) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

	private static String command(int appRows, int dbRows, long rowMicros) {
		StringBuilder command = new StringBuilder(COMMAND);
		if (appRows != 100_000) {
			command.append(" -Dbenchmark.app-rows=").append(appRows);
		}
		if (dbRows != 1_000_000) {
			command.append(" -Dbenchmark.db-rows=").append(dbRows);
		}
		if (rowMicros != 2000) {
			command.append(" -Dbenchmark.row-micros=").append(rowMicros);
		}
		return command.toString();
	}

	private static String get(String name, String fallback) {
		String value = System.getProperty("benchmark." + name);
		if (value == null || value.isBlank()) {
			value = System.getenv("BENCHMARK_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
		}
		return (value == null || value.isBlank()) ? fallback : value;
	}

	private static void execute(Settings settings, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
