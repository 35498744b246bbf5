package dev.datamigrate.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.datamigrate.benchmarks.Pgbench.Load;
import dev.datamigrate.benchmarks.Pgbench.Window;
import dev.datamigrate.benchmarks.starter.LatencyThrottle;

/**
 * The section "Impact on application traffic (pgbench)" of BENCHMARKS.md.
 */
final class TrafficReport {

	private final Settings settings;

	private final List<Traffic.Run> runs;

	private final String database;

	private final String pgbenchVersion;

	private final String loadAtStart;

	private final String loadAtEnd;

	/** Rows/s of the default way alone, in the median round above. */
	private final double aloneRowsPerSecond;

	TrafficReport(Settings settings, List<Traffic.Run> runs, String database, String pgbenchVersion,
			String loadAtStart, String loadAtEnd, double aloneRowsPerSecond) {
		this.settings = settings;
		this.runs = runs;
		this.database = database;
		this.pgbenchVersion = pgbenchVersion;
		this.loadAtStart = loadAtStart;
		this.loadAtEnd = loadAtEnd;
		this.aloneRowsPerSecond = aloneRowsPerSecond;
	}

	String markdown() {
		StringBuilder md = new StringBuilder("## Impact on application traffic (pgbench)\n\n");
		md.append(String.format(Locale.ROOT, "The application's traffic is played by pgbench (`%s`) in a database of its "
				+ "own, `%s`, made by `pgbench -i -s %d` (%,d accounts) at the start of this part and dropped at its end, "
				+ "so that pgbench's tables never touch other data. Each run has %d clients on %d threads (`-c %d -j %d`), "
				+ "with no rate limit: each client sends its next transaction as soon as the last one ends. Two loads: "
				+ "select-only (`-S`: one select by primary key per transaction) and tpcb-like (pgbench's default: "
				+ "three updates, a select and an insert per transaction, each commit waiting for the WAL flush). For "
				+ "each load three runs, in the order (ii), (i), (iii):%n%n", this.pgbenchVersion, this.database,
				Pgbench.SCALE, Pgbench.SCALE * 100_000, Pgbench.CLIENTS, Pgbench.THREADS, Pgbench.CLIENTS,
				Pgbench.THREADS));
		md.append(String.format(Locale.ROOT, "- (ii) pgbench, and the %,d-row backfill at default settings (the "
				+ "application of way (b) `update(sql)`, built-in checks on) started once every pgbench thread has "
				+ "logged transactions (after pgbench's own vacuum) and one second more. The window is the backfill's "
				+ "run, from `runPending()` to its return.%n", this.settings.rows()));
		md.append("- (i) pgbench alone, for a window as long as (ii)'s backfill, starting as (ii)'s did.\n");
		md.append(String.format(Locale.ROOT, "- (iii) As (ii), in an application of its own with a user `Throttle` "
				+ "bean (`LatencyThrottle`) that tails pgbench's per-transaction logs and backs off %d ms while the "
				+ "p99 latency of the last second logged is above %s times the p99 of run (i) (or while nothing was "
				+ "logged for 2 s). The walk asks it at most once per `data-migrate.throttle.interval` (1 s) while it "
				+ "runs, and every %d ms while held; so it runs a second of batches, and once held waits until a "
				+ "whole second of pgbench's transactions is under the limit. So that other load on this shared "
				+ "machine, which it cannot tell from the backfill's, cannot hold the backfill for ever, it lets the "
				+ "walk go on once it has held it %d s in one go (\"released\" below), for the next second of "
				+ "batches. Held: the counter `data.migration.throttled.duration`.%n%n",
				LatencyThrottle.BACKOFF.toMillis(), number(this.settings.p99Factor()), LatencyThrottle.BACKOFF.toMillis(),
				LatencyThrottle.MAX_HOLD.toSeconds()));
		md.append("pgbench's figures are the transactions that completed within the window, from its per-transaction "
				+ "log (`-l`: latency in µs, completion time): transactions/s over the window's length, the median and "
				+ "99th percentile of their latency. The backfill's table is made anew before (ii) and (iii), as for "
				+ "the ways above, and a `CHECKPOINT` is taken before (i). On 2 cores an unlimited pgbench and the "
				+ "backfill contend for CPU as much as for the disk. ");
		md.append(String.format(Locale.ROOT, "Load average (1, 5, 15 min): %s at the start of this part, %s at its "
				+ "end.%n%n", this.loadAtStart, this.loadAtEnd));
		md.append(table()).append('\n');
		summary().forEach((point) -> md.append("- ").append(point).append('\n'));
		return md.toString();
	}

	String table() {
		StringBuilder table = new StringBuilder("| load | run | window s | pgbench tps | tps vs (i) | p50 ms | p99 ms "
				+ "| p99 vs (i) | backfill s | backfill rows/s | held s |\n"
				+ "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (Traffic.Run run : this.runs) {
			Window alone = alone(run.load());
			Window window = run.window();
			table.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %,.0f | %s | %.2f | %.2f | %s | %s | %s | %s |%n",
					run.load().label, run.run(), window.seconds(), window.tps(),
					(window == alone) ? "-" : signedPercent(window.tps() / alone.tps() - 1), window.p50Micros() / 1e3,
					window.p99Micros() / 1e3, (window == alone) ? "-" : times(window.p99Micros() / alone.p99Micros()),
					(run.backfill() == null) ? "-" : String.format(Locale.ROOT, "%.1f", run.backfill().nanos() / 1e9),
					(run.backfill() == null) ? "-" : String.format(Locale.ROOT, "%,.0f", run.backfill().rowsPerSecond()),
					Double.isNaN(run.heldSeconds()) ? "-" : String.format(Locale.ROOT, "%.1f", run.heldSeconds())));
		}
		return table.toString();
	}

	private List<String> summary() {
		List<String> points = new ArrayList<>();
		for (Load load : Load.values()) {
			Window alone = alone(load);
			Traffic.Run during = find(load, Traffic.BACKFILL);
			Traffic.Run held = find(load, Traffic.THROTTLED);
			double lost = alone.tps() - during.window().tps();
			double back = held.window().tps() - during.window().tps();
			points.add(String.format(Locale.ROOT, "%s: running the backfill at default settings cost pgbench %s of "
					+ "its transactions/s (%,.0f alone, %,.0f with it) and took its p99 from %.2f ms to %.2f ms (%s), "
					+ "its p50 from %.2f to %.2f ms; the backfill itself ran at %,.0f rows/s (%s of its %,.0f rows/s "
					+ "alone in the rounds above).", capitalized(load.label), percent(lost / alone.tps()), alone.tps(),
					during.window().tps(), alone.p99Micros() / 1e3, during.window().p99Micros() / 1e3,
					times(during.window().p99Micros() / alone.p99Micros()), alone.p50Micros() / 1e3,
					during.window().p50Micros() / 1e3, during.backfill().rowsPerSecond(),
					percent(during.backfill().rowsPerSecond() / this.aloneRowsPerSecond), this.aloneRowsPerSecond));
			points.add(String.format(Locale.ROOT, "%s with the throttle (limit %.2f ms): pgbench ran at %,.0f tps "
					+ "(%s vs alone; of the transactions/s the backfill took, %s), p99 %.2f ms (%s of alone's); the "
					+ "backfill took %.1f s instead of %.1f s (%,.0f rows/s, %s of its rate unthrottled) and was held "
					+ "%.1f s of it (%s; the %d s cap on one hold let it go %d time(s)).", capitalized(load.label), held.limitMicros() / 1e3, held.window().tps(),
					signedPercent(held.window().tps() / alone.tps() - 1),
					(lost <= 0) ? "the backfill had taken none" : (back >= 0) ? percent(back / lost) + " back"
							: String.format(Locale.ROOT, "none back: %,.0f fewer than with the unthrottled backfill", -back), held.window().p99Micros() / 1e3,
					times(held.window().p99Micros() / alone.p99Micros()), held.backfill().nanos() / 1e9,
					during.backfill().nanos() / 1e9, held.backfill().rowsPerSecond(),
					percent(held.backfill().rowsPerSecond() / during.backfill().rowsPerSecond()), held.heldSeconds(),
					percent(held.heldSeconds() / (held.backfill().nanos() / 1e9)), LatencyThrottle.MAX_HOLD.toSeconds(),
					held.releases()));
		}
		points.add("Each figure is one run: on this shared 2-core machine, where other work comes and goes (see the load "
				+ "averages above), a single run's tps and p99 can move by tens of percent; read the directions, "
				+ "not the digits.");
		return points;
	}

	private Window alone(Load load) {
		return find(load, Traffic.ALONE).window();
	}

	private Traffic.Run find(Load load, String run) {
		return this.runs.stream()
			.filter((candidate) -> candidate.load() == load && candidate.run().equals(run))
			.findFirst()
			.orElseThrow();
	}

	private static String capitalized(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	private static String number(double value) {
		return (value == Math.rint(value)) ? String.valueOf((long) value) : String.valueOf(value);
	}

	private static String times(double ratio) {
		return String.format(Locale.ROOT, "%.2fx", ratio);
	}

	private static String percent(double fraction) {
		return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
	}

	private static String signedPercent(double fraction) {
		return String.format(Locale.ROOT, "%+.1f%%", 100 * fraction);
	}

}
