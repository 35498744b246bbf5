package dev.datamigrate.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.benchmarks.jpa.JpaBenchmark;
import dev.datamigrate.benchmarks.starter.StarterBenchmark;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ways, each run on a table made anew, in the order of the report.
 */
final class Ways implements AutoCloseable {

	static final String A = "(a) one UPDATE statement";

	static final String B_SQL = "(b) starter, default settings (sized by time), update(sql)";

	static final String B_RUN = "(b) starter, default settings (sized by time), run(handler)";

	static final String B_FRESH = "(b) starter, default settings, update(sql), fresh column (not analyzed)";

	static final String B_SYNC = "(b) starter, default settings, update(sql), synchronous-commit=true";

	static final String B_NO_CHECKS = "(b) starter, default settings, update(sql), built-in throttle checks off";

	static final String B_SQL_1K = "(b) starter, update(sql), batches of 1,000";

	static final String B_RUN_1K = "(b) starter, run(handler), batches of 1,000";

	static final String C_1K = "(c) hand-written JDBC loop, batches of 1,000";

	static final String B_SQL_10K = "(b) starter, update(sql), batches of 10,000";

	static final String B_RUN_10K = "(b) starter, run(handler), batches of 10,000";

	static final String C_10K = "(c) hand-written JDBC loop, batches of 10,000";

	static final String D = "(d) Spring Data JPA, chunks of 1,000";

	private final Settings settings;

	private final HikariDataSource dataSource;

	private final StarterBenchmark starter;

	private final StarterBenchmark synchronous;

	private final StarterBenchmark noChecks;

	private final List<String> datasourceArgs;

	private final String logFile;

	private final JpaBenchmark jpa;

	/** Time of the starter's one {@code count(*)} of the rows to change, measured apart. */
	private long countNanos;

	Ways(Settings settings, HikariDataSource dataSource, String schema) {
		this.settings = settings;
		this.dataSource = dataSource;
		List<String> datasourceArgs = List.of("--spring.datasource.url=" + settings.urlWithSchema(schema),
				"--spring.datasource.username=" + settings.user(), "--spring.datasource.password=" + settings.password());
		String logFile = Path.of("target", "benchmark-starter-events.log").toAbsolutePath().toString();
		// the starter's application first: Spring Boot sets up logging (appenders) once per JVM, with the
		// settings of the first application; later ones only set levels
		this.starter = StarterBenchmark.start(datasourceArgs, logFile);
		this.synchronous = StarterBenchmark.start(datasourceArgs, logFile, "--data-migrate.batch.synchronous-commit=true");
		this.noChecks = StarterBenchmark.start(datasourceArgs, logFile, "--data-migrate.throttle.enabled=false");
		this.datasourceArgs = datasourceArgs;
		this.logFile = logFile;
		this.jpa = JpaBenchmark.start(datasourceArgs);
	}

	long countNanos() {
		return this.countNanos;
	}

	/** The application of the ways with default settings. */
	StarterBenchmark starter() {
		return this.starter;
	}

	/**
	 * Start another application of the starter on the benchmark's schema.
	 * @param settings more {@code --...} arguments
	 * @return the running application
	 */
	StarterBenchmark startStarter(String... settings) {
		return StarterBenchmark.start(this.datasourceArgs, this.logFile, settings);
	}

	HikariDataSource dataSource() {
		return this.dataSource;
	}

	@Override
	public void close() {
		this.jpa.close();
		this.noChecks.close();
		this.synchronous.close();
		this.starter.close();
	}

	/**
	 * Run every way once on a table of {@code rows} rows, and the one statement (a) twice: first and last,
	 * so that its figure for the round, the mean of both times, cancels out a steady drift of this
	 * machine's speed for the ways in between. Those start with the {@code shift}th way and wrap around, so
	 * that over the rounds no way always runs in the same place.
	 * @param rows table size
	 * @param shift how many ways to move from the front to the back
	 * @param results where to add the results, or {@code null} for a warm-up
	 */
	void runAll(int rows, int shift, Map<String, List<Result>> results) throws Exception {
		long jpaRows = Math.min(rows, this.settings.jpaRows());
		Map<String, Work> ways = new LinkedHashMap<>();
		ways.put(B_SQL, () -> this.starter.run(null, true));
		ways.put(B_RUN, () -> this.starter.run(null, false));
		ways.put(B_FRESH, () -> this.starter.run(null, true));
		ways.put(B_SYNC, () -> this.synchronous.run(null, true));
		ways.put(B_NO_CHECKS, () -> this.noChecks.run(null, true));
		ways.put(B_SQL_1K, () -> this.starter.run(1_000, true));
		ways.put(B_RUN_1K, () -> this.starter.run(1_000, false));
		ways.put(C_1K, () -> PlainJdbc.keysetLoop(this.dataSource, 1_000));
		ways.put(B_SQL_10K, () -> this.starter.run(10_000, true));
		ways.put(B_RUN_10K, () -> this.starter.run(10_000, false));
		ways.put(C_10K, () -> PlainJdbc.keysetLoop(this.dataSource, 10_000));
		ways.put(D, () -> this.jpa.run(1_000, jpaRows));
		List<String> order = new ArrayList<>(ways.keySet());
		Collections.rotate(order, -shift);
		Work single = () -> {
			this.countNanos = timeCount();
			return PlainJdbc.singleStatement(this.dataSource);
		};
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
		BenchTable.recreate(this.dataSource, rows, way.equals(B_FRESH));
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long cpu = threads.getCurrentThreadCpuTime();
		Result result = work.run();
		result = result.withCpuNanos(threads.getCurrentThreadCpuTime() - cpu);
		verify(way, result, expected);
		System.out.printf(Locale.ROOT, "  %-72s %,10d rows in %8.3f s = %,10.0f rows/s (JVM thread CPU %.3f s)%n", way,
				result.rowsChanged(), result.nanos() / 1e9, result.rowsPerSecond(), result.cpuNanos() / 1e9);
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

	@FunctionalInterface
	interface Work {

		Result run() throws Exception;

	}

}
