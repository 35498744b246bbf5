package dev.datamigrate.benchmarks;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.datamigrate.benchmarks.Ways.A;
import static dev.datamigrate.benchmarks.Ways.B_FRESH;
import static dev.datamigrate.benchmarks.Ways.B_NO_CHECKS;
import static dev.datamigrate.benchmarks.Ways.B_RUN;
import static dev.datamigrate.benchmarks.Ways.B_RUN_10K;
import static dev.datamigrate.benchmarks.Ways.B_RUN_1K;
import static dev.datamigrate.benchmarks.Ways.B_SQL;
import static dev.datamigrate.benchmarks.Ways.B_SQL_10K;
import static dev.datamigrate.benchmarks.Ways.B_SQL_1K;
import static dev.datamigrate.benchmarks.Ways.B_SYNC;
import static dev.datamigrate.benchmarks.Ways.C_10K;
import static dev.datamigrate.benchmarks.Ways.C_1K;
import static dev.datamigrate.benchmarks.Ways.D;

/**
 * The figures of a run, the targets, and BENCHMARKS.md.
 */
final class Report {

	/** The starter's default {@code data-migrate.batch.target-duration}. */
	private static final double TARGET_MILLIS = 100;

	private final Settings settings;

	private final Machine machine;

	private final Benchmark.Network network;

	private final Map<String, List<Result>> rounds;

	private final Map<String, Result> results = new LinkedHashMap<>();

	private final long countNanos;

	private final TrafficReport traffic;

	private final double checkRoundMillis;

	Report(Settings settings, Machine machine, Benchmark.Network network, Map<String, List<Result>> rounds,
			long countNanos, double checkRoundMillis, TrafficReport traffic) {
		this.settings = settings;
		this.machine = machine;
		this.network = network;
		this.rounds = rounds;
		rounds.forEach((way, list) -> this.results.put(way, Result.median(list)));
		this.countNanos = countNanos;
		this.traffic = traffic;
		this.checkRoundMillis = checkRoundMillis;
	}

	/** The results and targets as Markdown tables, for the console. */
	String table() {
		return results() + "\n" + targets() + ((this.traffic != null) ? "\n" + this.traffic.table() : "");
	}

	String markdown() {
		StringBuilder md = new StringBuilder("# Benchmarks\n\nWritten by the `benchmarks` module "
				+ "(`dev.datamigrate.benchmarks.Benchmark`); every run overwrites this file.\n\n");
		md.append("## Reproduce\n\n```\n").append(this.settings.command()).append("\n```\n\n");
		md.append("From the repository root, with PostgreSQL reachable (default `jdbc:postgresql://127.0.0.1:5432/test`, "
				+ "user `postgres`, no password; override with `-Dbenchmark.url=`, `-Dbenchmark.user=`, "
				+ "`-Dbenchmark.password=` or `BENCHMARK_URL`, `BENCHMARK_USER`, `BENCHMARK_PASSWORD`). Add `-o` to run "
				+ "Maven offline. Other knobs: `-Dbenchmark.rounds=` (default 3), `-Dbenchmark.jpa-rows=` (default "
				+ "100000), `-Dbenchmark.warmup-rows=` (default 100000), `-Dbenchmark.note=\"...\"` (added to the load "
				+ "note), `-Dbenchmark.delay-us=` (default 0: each chunk of bytes to and from PostgreSQL is held that "
				+ "long in each direction, as a network would), `-Dbenchmark.output=` (default `BENCHMARKS.md`, "
				+ "relative to the repository root), `-Dbenchmark.traffic=false` (skips the pgbench part), "
				+ "`-Dbenchmark.pgbench=` (default `pgbench` on the `PATH`, PostgreSQL's own, here 15) and "
				+ "`-Dbenchmark.p99-factor=` (default 2: the pgbench part's throttle limit, times the p99 of pgbench "
				+ "alone). ");
		md.append(String.format(Locale.ROOT, "This run took %d minutes. ",
				Duration.between(this.settings.start(), ZonedDateTime.now()).toMinutes()));
		md.append("The benchmark makes a schema of its own and, for pgbench, a database of its own, and drops both "
				+ "at the end. It never runs in `./mvnw verify`: "
				+ "the profile `benchmark` binds it to `package`, in a JVM of its own (`-Xms1g -Xmx2g`).\n\n");
		md.append("## Machine\n\n");
		md.append("- Date: ").append(this.settings.start().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
		md.append("- CPU: ").append(this.machine.cpu()).append(", ").append(this.machine.cores())
			.append(" cores; memory ").append(this.machine.memory()).append('\n');
		md.append("- OS: ").append(this.machine.os()).append('\n');
		md.append("- Java: ").append(this.machine.java()).append('\n');
		md.append("- PostgreSQL: ").append(this.machine.postgres()).append(", ").append(this.network.description()).append('\n');
		md.append("- PostgreSQL settings: ").append(this.machine.postgresSettings()).append('\n');
		md.append("- Load average (1, 5, 15 min): ").append(this.machine.loadAtStart()).append(" at the start, ")
			.append(this.machine.loadAtEnd()).append(" at the end\n");
		md.append("- Load note: ").append(this.machine.loadNote(this.settings.note())).append("\n\n");
		md.append("## What was measured\n\n").append(Measured.text(this.settings, this.machine));
		md.append("## Results\n\n").append(results()).append('\n');
		md.append("## Targets\n\n").append(targets()).append('\n');
		md.append("## Interpretation\n\n");
		interpretation().forEach((point) -> md.append("- ").append(point).append('\n'));
		if (this.traffic != null) {
			md.append('\n').append(this.traffic.markdown());
		}
		return md.toString();
	}

	private String results() {
		StringBuilder table = new StringBuilder("| way | rows changed | seconds | rows/s | vs (a) | rows/s of each round "
				+ "| JVM thread CPU s | batches timed | median batch ms | p99 batch ms | median batch rows | max batch "
				+ "rows |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		this.results.forEach((way, result) -> table.append(String.format(Locale.ROOT,
				"| %s | %,d | %.2f | %,.0f | %s | %s | %.2f | %s | %s | %s | %s | %s |%n", way, result.rowsChanged(),
				result.nanos() / 1e9, result.rowsPerSecond(), percent(ratio(way, A)),
				String.join(", ", this.rounds.get(way).stream()
					.map((round) -> String.format(Locale.ROOT, "%,.0f", round.rowsPerSecond()))
					.toList()),
				result.cpuNanos() / 1e9, count(result.batchNanos().length),
				millis(Result.percentileMillis(result.batchNanos(), 50)),
				millis(Result.percentileMillis(result.batchNanos(), 99)),
				count(Result.percentile(result.batchRows(), 50)), count(Result.percentile(result.batchRows(), 100)))));
		return table.toString();
	}

	private String targets() {
		boolean relay = this.settings.delayMicros() > 0;
		double atLeast = relay ? 0.93 : 0.95;
		String share = String.format(Locale.ROOT, ": >= %.0f%% of one statement's rows/s%s", 100 * atLeast,
				relay ? " (through the relay)" : "");
		List<String[]> rows = new ArrayList<>();
		rows.add(shareRow("default settings, update(sql)" + share, B_SQL, A, atLeast));
		rows.add(shareRow("default settings, run(handler)" + share, B_RUN, A, atLeast));
		for (String[] way : List.of(new String[] { "update(sql)", "1,000", B_SQL_1K, C_1K },
				new String[] { "update(sql)", "10,000", B_SQL_10K, C_10K },
				new String[] { "run(handler)", "1,000", B_RUN_1K, C_1K },
				new String[] { "run(handler)", "10,000", B_RUN_10K, C_10K })) {
			double overhead = ratio(way[3], way[2]) - 1;
			rows.add(target(way[0] + ": starter adds <= 5% over the hand-written loop, batches of " + way[1],
					signedPercent(overhead), roundsMeeting(way[2], way[3], 1 / 1.05), overhead <= 0.05));
		}
		for (String[] way : List.of(new String[] { "update(sql)", B_SQL }, new String[] { "run(handler)", B_RUN })) {
			double p99 = Result.percentileMillis(get(way[1]).batchNanos(), 99);
			rows.add(target(String.format(Locale.ROOT, "default settings, %s: p99 batch < %.0f ms (2x the target "
					+ "duration)", way[0], 2 * TARGET_MILLIS), millis(p99) + " ms", "-", p99 < 2 * TARGET_MILLIS));
		}
		double checkShare = this.checkRoundMillis / 1000;
		rows.add(target("built-in throttle checks (nothing to throttle): one round a second costs <= 2% of a walk's "
				+ "time", String.format(Locale.ROOT, "%.3f ms a round, %.3f%%", this.checkRoundMillis, 100 * checkShare),
				"-", checkShare <= 0.02));
		rows.add(shareRow("fresh column, not analyzed: within 10% of the analyzed default's rows/s (>= 90%)",
				B_FRESH, B_SQL, 0.90));
		double jpa = ratio(B_SQL, D);
		rows.add(target("default settings, update(sql): beats the JPA loop >= 10x", String.format(Locale.ROOT, "%.1fx",
				jpa), roundsMeeting(B_SQL, D, 10), jpa >= 10));
		StringBuilder table = new StringBuilder("Measured: for the rows/s targets, the median over the rounds of each "
				+ "round's ratio; for the p99, the batches of all rounds. Rounds that meet it: how many rounds' own "
				+ "ratios meet the target, which shows how far a verdict stands above this machine's noise.\n\n"
				+ "| target | measured | rounds that meet it | result |\n|---|---:|---:|---|\n");
		rows.forEach((row) -> table.append("| ").append(String.join(" | ", row)).append(" |\n"));
		return table.toString();
	}

	private String[] shareRow(String target, String way, String baseline, double atLeast) {
		double ratio = ratio(way, baseline);
		return target(target, percent(ratio), roundsMeeting(way, baseline, atLeast), ratio >= atLeast);
	}

	private List<String> interpretation() {
		Result adaptive = get(B_SQL);
		double medianRows = Result.percentile(adaptive.batchRows(), 50);
		List<String> points = new ArrayList<>();
		points.add(String.format(Locale.ROOT, "One statement changes %,.0f rows/s. With its default settings the starter "
				+ "reaches %s of that by `update(sql)` and %s by a handler; with batches of 1,000 %s and %s, of 10,000 "
				+ "%s and %s; the hand-written loop %s at 1,000 and %s at 10,000.", get(A).rowsPerSecond(),
				percent(ratio(B_SQL, A)), percent(ratio(B_RUN, A)), percent(ratio(B_SQL_1K, A)),
				percent(ratio(B_RUN_1K, A)), percent(ratio(B_SQL_10K, A)), percent(ratio(B_RUN_10K, A)),
				percent(ratio(C_1K, A)), percent(ratio(C_10K, A))));
		points.add(String.format(Locale.ROOT, "Sized by time (target %.0f ms), the default's batches by `update(sql)` "
				+ "held a median of %s rows and at most %s (%s and %s by a handler); its median batch took %s ms, its "
				+ "p99 %s ms (%s and %s by a handler). Starting at 100 rows and growing by at most 1.2x a batch, it "
				+ "takes about %d batches to reach the median size.", TARGET_MILLIS, count(medianRows),
				count(Result.percentile(adaptive.batchRows(), 100)), count(Result.percentile(get(B_RUN).batchRows(), 50)),
				count(Result.percentile(get(B_RUN).batchRows(), 100)), millis(Result.percentileMillis(adaptive.batchNanos(), 50)),
				millis(Result.percentileMillis(adaptive.batchNanos(), 99)),
				millis(Result.percentileMillis(get(B_RUN).batchNanos(), 50)),
				millis(Result.percentileMillis(get(B_RUN).batchNanos(), 99)),
				(int) Math.ceil(Math.log(Math.max(1, medianRows / 100)) / Math.log(1.2))));
		points.add(String.format(Locale.ROOT, "Against the hand-written loop at the same size (positive: the starter is "
				+ "slower): %s by `update(sql)` and %s by a handler at 1,000, %s and %s at 10,000. A starter batch "
				+ "takes five round trips (the transaction limits, the key range, the work, the checkpoint, the "
				+ "commit), the loop's four (keys, update, checkpoint with `set local`, commit); a round trip of "
				+ "`select 1` takes %.3f ms here. JVM CPU per batch of 1,000: %.3f ms for the starter's handler "
				+ "form, %.3f ms for the loop. Once per run the starter adds the lock, the history rows and the "
				+ "`count(*)` for the total (%.0f ms here, alone).", signedPercent(ratio(C_1K, B_SQL_1K) - 1),
				signedPercent(ratio(C_1K, B_RUN_1K) - 1), signedPercent(ratio(C_10K, B_SQL_10K) - 1),
				signedPercent(ratio(C_10K, B_RUN_10K) - 1), this.network.roundTripMillis(), cpuPerBatchMillis(B_RUN_1K),
				cpuPerBatchMillis(C_1K), this.countNanos / 1e6));
		points.add(String.format(Locale.ROOT, "On a column added just before the walk and never analyzed, the default "
				+ "`update(sql)` runs at %s of its rate on the analyzed column (the batch's range is read by the key "
				+ "alone: the filter's column has no say in its plan).",
				percent(ratio(B_FRESH, B_SQL))));
		points.add(String.format(Locale.ROOT, "Commits that wait for the WAL flush (`synchronous-commit=true`) change the "
				+ "default's rows/s by %s.", signedPercent(ratio(B_SYNC, B_SQL) - 1)));
		points.add(String.format(Locale.ROOT, "The built-in throttle checks (on by default; %s) leave the default "
				+ "`update(sql)` at %s of its rows/s with them off (rounds: %s), a difference this machine's noise hides; measured "
				+ "directly, one round of the checks takes %.3f ms (median of 1,000), and a walk runs at most one a "
				+ "second.", (this.machine.replicas() == 0
						&& this.machine.slots() == 0) ? "no replica or slot here, so their queries find nothing to "
								+ "wait for" : "this server has replicas or slots",
				percent(ratio(B_SQL, B_NO_CHECKS)), String.join(", ", Arrays.stream(roundRatios(B_SQL, B_NO_CHECKS))
					.mapToObj(Report::percent).toList()), this.checkRoundMillis));
		points.add(String.format(Locale.ROOT, "The JPA loop changes %,.0f rows/s: it loads whole entities and sends one "
				+ "UPDATE per row, where the other ways send one range UPDATE per batch. Its JVM thread CPU is %.1f ms "
				+ "per chunk of 1,000.", get(D).rowsPerSecond(), cpuPerBatchMillis(D)));
		points.add("Noise: on a loaded machine wall times vary by tens of percent between rounds (see rows/s of each "
				+ "round), more than the margins of the targets; a target missed by less than that spread says "
				+ "nothing until rerun on a quiet machine.");
		return points;
	}

	/** JVM thread CPU of a way's median round over the batches of one round. */
	private double cpuPerBatchMillis(String way) {
		Result result = get(way);
		double batches = (double) result.batchRows().length / this.rounds.get(way).size();
		return result.cpuNanos() / 1e6 / Math.max(1, batches);
	}

	private Result get(String way) {
		return this.results.get(way);
	}

	/** One way's rows/s over another's in each round, in the order of the rounds. */
	private double[] roundRatios(String way, String baseline) {
		List<Result> ways = this.rounds.get(way);
		List<Result> baselines = this.rounds.get(baseline);
		double[] ratios = new double[ways.size()];
		for (int i = 0; i < ratios.length; i++) {
			ratios[i] = ways.get(i).rowsPerSecond() / baselines.get(i).rowsPerSecond();
		}
		return ratios;
	}

	/**
	 * One way's rows/s over another's: the median over the rounds of each round's ratio, so that a machine
	 * that speeds up or slows down between rounds does not move it.
	 */
	private double ratio(String way, String baseline) {
		double[] ratios = roundRatios(way, baseline);
		Arrays.sort(ratios);
		return (ratios.length % 2 == 1) ? ratios[ratios.length / 2]
				: (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
	}

	/** In how many rounds one way's rows/s over another's was at least {@code atLeast}. */
	private String roundsMeeting(String way, String baseline, double atLeast) {
		double[] ratios = roundRatios(way, baseline);
		return Arrays.stream(ratios).filter((ratio) -> ratio >= atLeast).count() + " of " + ratios.length;
	}

	private static String[] target(String name, String measured, String rounds, boolean met) {
		return new String[] { name, measured, rounds, met ? "PASS" : "MISS" };
	}

	private static String percent(double fraction) {
		return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
	}

	private static String signedPercent(double fraction) {
		return String.format(Locale.ROOT, "%+.1f%%", 100 * fraction);
	}

	private static String millis(double millis) {
		return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%.2f", millis);
	}

	private static String count(double value) {
		return (Double.isNaN(value) || value == 0) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
	}

}
