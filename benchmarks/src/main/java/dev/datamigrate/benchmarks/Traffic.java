package dev.datamigrate.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import dev.datamigrate.benchmarks.Pgbench.Load;
import dev.datamigrate.benchmarks.Pgbench.Window;
import dev.datamigrate.benchmarks.starter.LatencyThrottle;
import dev.datamigrate.benchmarks.starter.StarterBenchmark;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a backfill costs the application's traffic, played by pgbench, and what a user's throttle gives back.
 * For each load: (ii) pgbench while the backfill runs at default settings, (i) pgbench alone for as long as
 * that backfill took, (iii) pgbench while the backfill runs in an application with a {@link LatencyThrottle}
 * that holds it while pgbench's p99 of the last second is above a limit (a multiple of (i)'s p99).
 */
final class Traffic {

	static final String ALONE = "(i) pgbench alone";

	static final String BACKFILL = "(ii) with the backfill, default settings";

	static final String THROTTLED = "(iii) with the backfill and a latency throttle";

	private final Settings settings;

	private final Ways ways;

	private final StarterBenchmark throttled;

	private final Pgbench pgbench;

	private Traffic(Settings settings, Ways ways, StarterBenchmark throttled, Pgbench pgbench) {
		this.settings = settings;
		this.ways = ways;
		this.throttled = throttled;
		this.pgbench = pgbench;
	}

	/**
	 * One run of one load.
	 * @param load the pgbench script
	 * @param run {@link #ALONE}, {@link #BACKFILL} or {@link #THROTTLED}
	 * @param window pgbench's transactions while the backfill ran (for (i), a window as long as (ii)'s)
	 * @param backfill the backfill's result, or {@code null} for (i)
	 * @param heldSeconds the counter {@code data.migration.throttled.duration} of the backfill, or NaN
	 * @param limitMicros the throttle's limit on the p99, or 0
	 * @param releases how often the throttle let the walk go on after holding it for its longest hold
	 */
	record Run(Load load, String run, Window window, Result backfill, double heldSeconds, double limitMicros,
			int releases) {
	}

	/**
	 * Measure both loads in a pgbench database of its own, dropped at the end.
	 * @param settings the benchmark's settings, not those through a relay: pgbench connects directly
	 * @param ways the ways, whose default application runs (ii)
	 * @param suffix names the database {@code bench_pgbench_<suffix>}
	 * @param version takes pgbench's version
	 * @return the runs, three per load in the order (i), (ii), (iii)
	 */
	static List<Run> measure(Settings settings, Ways ways, String suffix, Consumer<String> version)
			throws Exception {
		Path directory = Path.of("target", "pgbench").toAbsolutePath();
		System.out.printf(Locale.ROOT, "Traffic: pgbench -i -s %d into database bench_pgbench_%s%n", Pgbench.SCALE,
				suffix);
		try (Pgbench pgbench = Pgbench.create(settings, "bench_pgbench_" + suffix, directory);
				StarterBenchmark throttled = ways.startStarter("--benchmark.latency-throttle=true")) {
			version.accept(pgbench.version());
			Traffic traffic = new Traffic(settings, ways, throttled, pgbench);
			// the throttled application's first run, unwatched, on a small table
			BenchTable.recreate(ways.dataSource(), settings.warmupRows(), false);
			throttled.run(null, true);
			List<Run> runs = new ArrayList<>();
			for (Load load : Load.values()) {
				runs.addAll(traffic.load(load));
			}
			return runs;
		}
	}

	private List<Run> load(Load load) throws Exception {
		String name = load.name().toLowerCase(Locale.ROOT);
		// (ii) first: its backfill's time is the length of (i)
		BenchTable.recreate(this.ways.dataSource(), this.settings.rows(), false);
		Pgbench.Run during = this.pgbench.start(load, name + "-ii");
		during.awaitStarted();
		long from = nowMicros();
		Result backfill = backfill(this.ways.starter());
		long to = nowMicros();
		during.stop();
		Run ii = print(new Run(load, BACKFILL, during.window(from, to), backfill, Double.NaN, 0, 0));

		this.pgbench.execute("checkpoint");
		Pgbench.Run alone = this.pgbench.start(load, name + "-i");
		alone.awaitStarted();
		long length = to - from;
		from = nowMicros();
		Thread.sleep(length / 1000);
		to = from + length;
		alone.stop();
		Run i = print(new Run(load, ALONE, alone.window(from, to), null, Double.NaN, 0, 0));

		double limit = this.settings.p99Factor() * i.window().p99Micros();
		BenchTable.recreate(this.ways.dataSource(), this.settings.rows(), false);
		Pgbench.Run held = this.pgbench.start(load, name + "-iii");
		held.awaitStarted();
		LatencyThrottle throttle = this.throttled.latencyThrottle();
		throttle.watch(held.logs(), (long) limit);
		double heldBefore = this.throttled.heldSeconds();
		from = nowMicros();
		Result throttledBackfill;
		int releases;
		try {
			throttledBackfill = backfill(this.throttled);
		}
		finally {
			releases = throttle.releases();
			throttle.stop();
		}
		to = nowMicros();
		double heldSeconds = this.throttled.heldSeconds() - heldBefore;
		held.stop();
		Run iii = print(new Run(load, THROTTLED, held.window(from, to), throttledBackfill, heldSeconds, limit,
				releases));
		return List.of(i, ii, iii);
	}

	private Result backfill(StarterBenchmark application) {
		Result result = application.run(null, true);
		Long changed = new JdbcTemplate(this.ways.dataSource())
			.queryForObject("select count(*) from " + BenchTable.NAME + " where purpose = 'unknown'", Long.class);
		if (result.rowsChanged() != this.settings.rows() || changed == null || changed != this.settings.rows()) {
			throw new IllegalStateException("The backfill should have changed " + this.settings.rows() + " rows; it "
					+ "reported " + result.rowsChanged() + " and the table has " + changed);
		}
		return result;
	}

	private static Run print(Run run) {
		Window window = run.window();
		System.out.printf(Locale.ROOT, "  %-13s %-50s %6.1f s: %,9.0f tps, p50 %6.2f ms, p99 %7.2f ms%s%n",
				run.load().name(), run.run(), window.seconds(), window.tps(), window.p50Micros() / 1e3,
				window.p99Micros() / 1e3,
				(run.backfill() == null) ? ""
						: String.format(Locale.ROOT, "; backfill %.1f s, %,.0f rows/s%s", run.backfill().nanos() / 1e9,
								run.backfill().rowsPerSecond(), Double.isNaN(run.heldSeconds()) ? ""
										: String.format(Locale.ROOT, ", held %.1f s, released %d time(s) after %d s",
												run.heldSeconds(), run.releases(),
												LatencyThrottle.MAX_HOLD.toSeconds())));
		return run;
	}

	private static long nowMicros() {
		return System.currentTimeMillis() * 1000;
	}

}
