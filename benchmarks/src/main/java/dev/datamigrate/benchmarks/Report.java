package dev.datamigrate.benchmarks;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.datamigrate.benchmarks.Benchmark.Ways.A;
import static dev.datamigrate.benchmarks.Benchmark.Ways.B10K;
import static dev.datamigrate.benchmarks.Benchmark.Ways.B10K_NO_READ_AHEAD;
import static dev.datamigrate.benchmarks.Benchmark.Ways.B10K_SYNC;
import static dev.datamigrate.benchmarks.Benchmark.Ways.B1K;
import static dev.datamigrate.benchmarks.Benchmark.Ways.B1K_NO_READ_AHEAD;
import static dev.datamigrate.benchmarks.Benchmark.Ways.B1K_SYNC;
import static dev.datamigrate.benchmarks.Benchmark.Ways.BS10K;
import static dev.datamigrate.benchmarks.Benchmark.Ways.BS1K;
import static dev.datamigrate.benchmarks.Benchmark.Ways.C10K;
import static dev.datamigrate.benchmarks.Benchmark.Ways.C1K;
import static dev.datamigrate.benchmarks.Benchmark.Ways.D;
import static dev.datamigrate.benchmarks.Benchmark.Ways.E1K;
import static dev.datamigrate.benchmarks.Benchmark.Ways.F1K;

/**
 * The figures of a run, the targets of the issue, and BENCHMARKS.md.
 */
final class Report {

	private static final List<String> STEPS = List.of("select keys", "update rows", "write checkpoint", "commit");

	private final Benchmark.Settings settings;

	private final Machine machine;

	private final Map<String, List<Result>> rounds;

	private final Map<String, Result> results = new LinkedHashMap<>();

	private final long countNanos;

	private final Benchmark.Network network;

	Report(Benchmark.Settings settings, Machine machine, Benchmark.Network network, Map<String, List<Result>> rounds,
			long countNanos) {
		this.settings = settings;
		this.machine = machine;
		this.network = network;
		this.rounds = rounds;
		rounds.forEach((way, list) -> this.results.put(way, Result.median(list)));
		this.countNanos = countNanos;
	}

	/** The results and targets as Markdown tables, for the console. */
	String table() {
		return results() + "\n" + targets();
	}

	String markdown() {
		StringBuilder md = new StringBuilder();
		md.append("# Benchmarks\n\n");
		md.append("Written by the `benchmarks` module (`dev.datamigrate.benchmarks.Benchmark`); every run overwrites "
				+ "this file.\n\n");
		md.append("## Reproduce\n\n```\n").append(this.settings.command()).append("\n```\n\n");
		md.append("From the repository root, with PostgreSQL reachable (default `jdbc:postgresql://127.0.0.1:5432/test`, "
				+ "user `postgres`, no password; override with `-Dbenchmark.url=`, `-Dbenchmark.user=`, "
				+ "`-Dbenchmark.password=` or `BENCHMARK_URL`, `BENCHMARK_USER`, `BENCHMARK_PASSWORD`). "
				+ "Add `-o` to run Maven offline. Other knobs: `-Dbenchmark.rounds=` (default 3), "
				+ "`-Dbenchmark.jpa-rows=` (default 100000), `-Dbenchmark.warmup-rows=` (default 100000), "
				+ "`-Dbenchmark.note=\"...\"` (added to the load note), `-Dbenchmark.delay-us=` (default 0: "
				+ "each chunk of bytes to and from PostgreSQL is held that long in each direction, as a network "
				+ "would) and `-Dbenchmark.output=` (default `BENCHMARKS.md`, in the repository root). " + String.format(Locale.ROOT, "This run took %d "
				+ "minutes. ", java.time.Duration.between(this.settings.start(), java.time.ZonedDateTime.now()).toMinutes())
				+ "The benchmark makes a schema of its own and drops it at the end. It never runs in "
				+ "`./mvnw verify`: the profile `benchmark` binds it to `package`, in a JVM of its own "
				+ "(`-Xms1g -Xmx2g`).\n\n");
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
		md.append("- Load note: ").append(loadNote()).append("\n\n");
		md.append("## What was measured\n\n");
		md.append(String.format(Locale.ROOT, "The work: `update notify_log_entries set purpose = 'unknown' where purpose "
				+ "is null` on a table `notify_log_entries(id bigint primary key, message text, purpose text null, "
				+ "created_at timestamp)` of %,d rows, all with a null purpose (about 100 bytes a row). Before each "
				+ "way the table is dropped, filled again from `generate_series`, `VACUUM ANALYZE`d and a "
				+ "`CHECKPOINT` is taken, so every way starts from the same state (autovacuum is off on this table so "
				+ "that it cannot wake up in some runs and not in others).\n\n", this.settings.rows()));
		md.append("- (a) The single statement above, on one connection, committed. It runs first and last in each "
				+ "round; its time for the round is the mean of both, so that a steady drift of the machine's speed "
				+ "during the round does not move the ratios of the ways in between.\n");
		md.append("- (b) The whole starter: a Spring Boot application (data-migrate auto-configuration, Hikari with its "
				+ "defaults, `DataSourceTransactionManager`, `data-migrate.on-startup=skip`) with one `@DataMigration` "
				+ "that walks `context.batches(\"notify_log_entries\").key(\"id\", Long.class).where(\"purpose is "
				+ "null\").size(N)` in one of the two ways the starter offers: `.update(\"update ... where purpose is "
				+ "null and id between :first and :last\")`, whose first batch goes to the database with its checkpoint in "
				+ "one round trip and whose later batches the database runs itself (`data-migrate.batch.in-database`): "
				+ "one `DO` block runs batches for about half a second, each reading its first and last key and their "
				+ "number, writing its checkpoint, running the statement and committing, and reporting itself with a "
				+ "notice, or `.run(batch -> jdbc.update(\"update ... where purpose is null and "
				+ "id between ? and ?\", batch.first(), batch.last()))`, a handler that runs its own statements before "
				+ "the starter writes the checkpoint. The time is that of `DataMigrations.runPending()`: lock, history, "
				+ "the `count(*)` for the total (on PostgreSQL on a pooled connection of its own beside the first "
				+ "batches, in a snapshot taken before them), every batch, the final history update. The application is started "
				+ "once, before the warm-up, and its pool is full before anything is timed, as in a running service "
				+ "that runs a post-deploy migration; dropping `data_migrations` with the table makes the migration "
				+ "pending again. The `data_migration_batch` events are logged at INFO to a file (Spring Boot's file "
				+ "appender). The starter's defaults: each batch's checkpoint write carries `set local "
				+ "synchronous_commit = off` in its round trip, so the batch's commit does not wait for the WAL flush "
				+ "(a database crash may lose the last batches, each with its checkpoint, which then run again; the "
				+ "finished migration's record is flushed), and the next batch's first and last key and their number "
				+ "(all a batch needs unless it asks for its keys) are read on a second pooled connection while the "
				+ "current batch runs (`data-migrate.batch.read-ahead`). The ways marked "
				+ "`synchronous-commit=true` and `read-ahead=false` run in applications of their own with that "
				+ "property.\n");
		md.append("- (c) A hand-written JDBC loop on one connection with the statements the starter sends by default: "
				+ "`select id ... where (purpose is null) and id > ? order by id limit N`, the same range update, an "
				+ "update of a checkpoint row (last key, counters, time) with `set local synchronous_commit = off` "
				+ "in the same round trip, commit.\n");
		md.append(String.format(Locale.ROOT, "- (d) Spring Data JPA with Spring Boot's defaults: an entity for the table, "
				+ "a derived keyset query `findByPurposeIsNullAndIdGreaterThanOrderByIdAsc(after, Limit.of(1000))`, "
				+ "purpose set on each entity, `saveAll`, one `TransactionTemplate` transaction per chunk. Hibernate "
				+ "flushes one UPDATE per entity (no `hibernate.jdbc.batch_size` is set by default). It is slow, so it "
				+ "runs over the first %,d rows only (of the same %,d-row table) and its rows/s is that part's "
				+ "rate, extrapolated: the full table would take about %.0f s at that rate.\n",
				Math.min(this.settings.jpaRows(), this.settings.rows()), this.settings.rows(),
				this.settings.rows() / get(D).rowsPerSecond()));
		md.append("- (e) Not one of the issue's ways: the loop of (c) as a PL/pgSQL procedure, called once. The same "
				+ "key select (as the min, max and count of the batch's keys), range update, checkpoint row update "
				+ "and `set local synchronous_commit = off`, and a commit per batch, with no client between them. "
				+ "It shows what batching costs the database itself; what (c) adds to it is the client's: its round "
				+ "trips and its own work.\n");
		md.append("- (f) Not one of the issue's ways either: the statements of (c) with one round trip a batch, the "
				+ "fewest a client can send. A batch's range update, checkpoint row update with `set local "
				+ "synchronous_commit = off`, commit and the next batch's key select go as one string with the "
				+ "values written in (`begin; update ...; update bench_checkpoint ...; set local ...; commit; select "
				+ "id ...`). A framework that lets the handler run its own statements in a transaction it commits "
				+ "after writing the checkpoint needs three.\n\n");
		md.append(String.format(Locale.ROOT, "Batch time: from one batch's commit to the next batch's commit, so it "
				+ "covers everything a batch costs: (b) the previous batch's event, the pause/stop check, a pooled "
				+ "connection and transaction, the keys (read ahead, or selected), the handler's update, the "
				+ "checkpoint and counters written to `data_migrations`, the commit; (c) key select, update, "
				+ "checkpoint row, commit; (f) its one round trip. The first batch of each run has no previous commit "
				+ "and is left out. In (b) with a handler, the handler registers a `TransactionSynchronization` whose "
				+ "`afterCommit` reads the clock; with `update(sql)`, where no code of the migration runs in a batch, "
				+ "it is the commit time a `DataMigrationListener` is told, by the database's clock for the batches "
				+ "the database ran (the same machine's clock here), so that a block's batches, reported together, "
				+ "keep their own times. For (d) it is one chunk's "
				+ "transaction. JVM thread CPU: CPU time of the thread that ran the way (the database's work is not "
				+ "in it), which a busy machine disturbs much less than wall time. Warm-up: each way runs once on a "
				+ "%,d-row table first. Rounds: %d, each running (a), then every other way, the first round in the "
				+ "order of the table below and each later one starting a way further down (wrapping around), so "
				+ "that no way always runs in the same place of a round, then (a) again; rows/s and seconds are the median round's, JVM thread "
				+ "CPU the median of the rounds' CPU, batch times pool all rounds. Ratios between ways (\"vs (a)\", "
				+ "the targets) are the median of each round's ratio, since this machine's speed drifts between "
				+ "rounds by more than the margins.\n\n", this.settings.warmupRows(), this.settings.rounds()));
		md.append("## Results\n\n").append(results()).append('\n');
		md.append("## Targets\n\n").append(targets()).append('\n');
		md.append("## Where a batch's time goes\n\n").append(steps()).append('\n');
		md.append("## Interpretation\n\n").append(interpretation());
		return md.toString();
	}

	private String results() {
		StringBuilder table = new StringBuilder();
		table.append("| way | rows changed | seconds | rows/s | vs (a) | rows/s of each round | JVM thread CPU s "
				+ "| batches timed | median batch ms | p99 batch ms |\n");
		table.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		this.results.forEach((way, result) -> table.append(String.format(Locale.ROOT,
				"| %s | %,d | %.2f | %,.0f | %.1f%% | %s | %.2f | %s | %s | %s |%n", way, result.rowsChanged(),
				result.nanos() / 1e9, result.rowsPerSecond(), 100 * ratio(way, A),
				String.join(", ", this.rounds.get(way).stream()
					.map((round) -> String.format(Locale.ROOT, "%,.0f", round.rowsPerSecond()))
					.toList()),
				result.cpuNanos() / 1e9,
				(result.batchNanos().length > 0) ? String.format(Locale.ROOT, "%,d", result.batchNanos().length) : "-",
				millis(Result.percentileMillis(result.batchNanos(), 50)),
				millis(Result.percentileMillis(result.batchNanos(), 99)))));
		return table.toString();
	}

	private String targets() {
		List<String[]> rows = new ArrayList<>();
		for (String[] form : List.of(new String[] { "update(sql)", BS1K, BS10K },
				new String[] { "run(handler)", B1K, B10K })) {
			String name = form[0] + ": ";
			rows.add(shareRow(name + "batches of 10,000 reach >= 95% of one statement's rows/s", form[2], A, 0.95));
			rows.add(shareRow(name + "batches of 1,000 reach >= 85% of one statement's rows/s", form[1], A, 0.85));
			rows.add(overheadRow(name + "starter adds <= 5% over the hand-written loop, batches of 1,000", form[1],
					C1K));
			rows.add(overheadRow(name + "starter adds <= 5% over the hand-written loop, batches of 10,000", form[2],
					C10K));
			double p99 = Result.percentileMillis(get(form[2]).batchNanos(), 99);
			rows.add(target(name + "p99 batch time at 10,000 < 100 ms", millis(p99) + " ms", "-", p99 < 100));
			rows.add(timesRow(name + "JPA loop beaten >= 10x (starter at 1,000 / JPA)", form[1], D));
			rows.add(timesRow(name + "JPA loop beaten >= 10x (starter at 10,000 / JPA)", form[2], D));
		}
		double steps1k = sumOfSteps(get(B1K)) / sumOfSteps(get(C1K)) - 1;
		double steps10k = sumOfSteps(get(B10K)) / sumOfSteps(get(C10K)) - 1;
		rows.add(target("run(handler): adds <= 5% over the hand-written loop, batches of 1,000, by the sum of median "
				+ "step times (steadier under load)", signedPercent(steps1k), "-", steps1k <= 0.05));
		rows.add(target("run(handler): adds <= 5% over the hand-written loop, batches of 10,000, by the sum of median "
				+ "step times (steadier under load)", signedPercent(steps10k), "-", steps10k <= 0.05));
		rows.add(overheadRow("run(handler) without read-ahead (the starter's own cost): adds <= 5% over the hand-written loop, "
				+ "batches of 1,000", B1K_NO_READ_AHEAD, C1K));
		rows.add(shareRow("run(handler) with synchronous-commit=true: batches of 10,000 reach >= 95% of one statement's rows/s",
				B10K_SYNC, A, 0.95));
		rows.add(shareRow("run(handler) with synchronous-commit=true: batches of 1,000 reach >= 85% of one statement's rows/s",
				B1K_SYNC, A, 0.85));
		StringBuilder table = new StringBuilder("Measured: for the rows/s targets, the median over the rounds of "
				+ "each round's ratio; for the step sums and the p99, the batches of all rounds. Rounds that meet it: "
				+ "how many rounds' own ratios meet the target, which shows how far a verdict stands above this "
				+ "machine's noise.\n\n| target | measured | rounds that meet it | result |\n"
				+ "|---|---:|---:|---|\n");
		rows.forEach((row) -> table.append("| ").append(String.join(" | ", row)).append(" |\n"));
		return table.toString();
	}

	private String[] shareRow(String target, String way, String baseline, double atLeast) {
		double ratio = ratio(way, baseline);
		return target(target, percent(ratio), roundsMeeting(way, baseline, atLeast), ratio >= atLeast);
	}

	private String[] overheadRow(String target, String way, String baseline) {
		double overhead = overhead(way, baseline);
		return target(target, signedPercent(overhead), roundsMeeting(way, baseline, 1 / 1.05), overhead <= 0.05);
	}

	private String[] timesRow(String target, String way, String baseline) {
		double ratio = ratio(way, baseline);
		return target(target, String.format(Locale.ROOT, "%.1fx", ratio), roundsMeeting(way, baseline, 10),
				ratio >= 10);
	}

	/**
	 * In how many rounds one way's rows/s over another's was at least {@code atLeast}.
	 */
	private String roundsMeeting(String way, String baseline, double atLeast) {
		double[] ratios = roundRatios(way, baseline);
		return Arrays.stream(ratios).filter((ratio) -> ratio >= atLeast).count() + " of " + ratios.length;
	}

	private String steps() {
		StringBuilder table = new StringBuilder();
		table.append("Median of each step over all batches, in ms. For (c) each "
				+ "step is timed around its statement. For (b) with a handler (with `update(sql)` no code of the "
				+ "migration runs inside a batch to time its steps), the handler notes its start and end, and a "
				+ "`TransactionSynchronization` notes `beforeCommit` (the starter has written the checkpoint) and "
				+ "`afterCommit`; its first step runs from the previous batch's commit to the handler, so it also "
				+ "holds the previous batch's event, the stop check, the connection checkout, the transaction start "
				+ "and the wait for the keys read ahead (for (c): the key select). The checkpoint step holds the "
				+ "`set local` sent with it. Then the sum of the step medians, the median batch, and the JVM thread "
				+ "CPU per batch (the run's CPU divided by its batches).\n\n");
		table.append("| way | select keys | update rows | write checkpoint | commit | sum of steps | median batch | "
				+ "CPU per batch |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
		for (String way : List.of(B1K, B1K_NO_READ_AHEAD, C1K, B10K, B10K_NO_READ_AHEAD, C10K)) {
			Result result = get(way);
			table.append("| ").append(way);
			for (String step : STEPS) {
				table.append(" | ").append(millis(Result.percentileMillis(result.phaseNanos().get(step), 50)));
			}
			table.append(" | ").append(millis(sumOfSteps(result)));
			table.append(" | ").append(millis(Result.percentileMillis(result.batchNanos(), 50)));
			table.append(" | ").append(millis(cpuPerBatchMillis(result, way.contains("10,000") ? 10_000 : 1_000)))
				.append(" |\n");
		}
		return table.toString();
	}

	private static double sumOfSteps(Result result) {
		return STEPS.stream().mapToDouble((step) -> Result.percentileMillis(result.phaseNanos().get(step), 50)).sum();
	}

	private static double cpuPerBatchMillis(Result result, int size) {
		return result.cpuNanos() / 1e6 / Math.max(1, (result.rowsChanged() + size - 1) / size);
	}

	private String interpretation() {
		double single = get(A).rowsPerSecond();
		Map<String, long[]> steps = get(C1K).phaseNanos();
		double select = median(steps, "select keys");
		double update = median(steps, "update rows");
		double checkpoint = median(steps, "write checkpoint");
		double commit = median(steps, "commit");
		double sum = select + update + checkpoint + commit;
		double update10k = median(get(C10K).phaseNanos(), "update rows");
		double cpuB1k = cpuPerBatchMillis(get(B1K_NO_READ_AHEAD), 1_000);
		double cpuC1k = cpuPerBatchMillis(get(C1K), 1_000);
		double batchC1k = Result.percentileMillis(get(C1K).batchNanos(), 50);
		List<String> points = new ArrayList<>();
		points.add(String.format(Locale.ROOT, "One statement changes %,.0f rows/s. The starter reaches %s of that with "
				+ "batches of 10,000 and %s with batches of 1,000 by `update(sql)`, %s and %s by a handler; the "
				+ "hand-written loop %s and %s.", single, percent(ratio(BS10K, A)), percent(ratio(BS1K, A)),
				percent(ratio(B10K, A)), percent(ratio(B1K, A)), percent(ratio(C10K, A)), percent(ratio(C1K, A))));
		points.add(String.format(Locale.ROOT, "A batch of 1,000 in the hand-written loop (medians): the update of the "
				+ "rows %.0f%% of the four steps, the key select %.0f%%, the checkpoint write %.0f%%, the commit "
				+ "%.0f%%. The range update by itself (the median update step of the loop, its round trip included) runs at %,.0f rows/s at "
				+ "1,000 and %,.0f at 10,000, %s and %s of the one statement's rate (an index range scan per batch "
				+ "against one sequential scan); the rest of a batch, and every round trip, comes on top.",
				100 * update / sum, 100 * select / sum,
				100 * checkpoint / sum, 100 * commit / sum, 1_000 / update * 1e3, 10_000 / update10k * 1e3,
				percent(1_000 / update * 1e3 / single), percent(10_000 / update10k * 1e3 / single)));
		points.add(String.format(Locale.ROOT, "Inside PostgreSQL, with no client, the same loop of batches of 1,000 "
				+ "reaches %s of the one statement (e): there, batching costs the database %s. A client that sends "
				+ "each batch in one round trip reaches %s (f); the starter's `update(sql)`, whose batches after the "
				+ "first the database runs in blocks of half a second, %s; the starter with "
				+ "a handler, with three (the handler's statement, the checkpoint, the commit), %s; the hand-written "
				+ "loop, with four, %s.",
				percent(ratio(E1K, A)), (ratio(E1K, A) >= 1) ? "nothing" : percent(1 - ratio(E1K, A)),
				percent(ratio(F1K, A)), percent(ratio(BS1K, A)), percent(ratio(B1K, A)), percent(ratio(C1K, A))));
		Map<String, long[]> starterSteps = get(B1K).phaseNanos();
		double starterMean = Arrays.stream(get(B1K).batchNanos()).average().orElse(0) / 1e6;
		double starterMedian = Result.percentileMillis(get(B1K).batchNanos(), 50);
		points.add(String.format(Locale.ROOT, "At 1,000, the one statement spends %s ms on 1,000 rows, so batches of "
				+ "1,000 reach 85%% of its rate at %s ms a batch. With `update(sql)` the starter's batch takes %s ms "
				+ "on average (median %s ms). With a handler it takes %s ms on average (median %s ms): the update %s "
				+ "ms, the checkpoint write and the commit %s ms together (two of its three round trips; the "
				+ "handler's update is the third), the first step (from the previous commit to the handler) %s ms; "
				+ "the average is %s ms %s the median.",
				millis(1_000 / single * 1e3), millis(1_000 / single * 1e3 / 0.85),
				millis(Arrays.stream(get(BS1K).batchNanos()).average().orElse(0) / 1e6),
				millis(Result.percentileMillis(get(BS1K).batchNanos(), 50)), millis(starterMean), millis(starterMedian),
				millis(median(starterSteps, "update rows")),
				millis(median(starterSteps, "write checkpoint") + median(starterSteps, "commit")),
				millis(median(starterSteps, "select keys")), millis(Math.abs(starterMean - starterMedian)),
				(starterMean >= starterMedian) ? "above" : "below"));
		points.add(String.format(Locale.ROOT, "Reading keys ahead takes the key select out of a batch's time: the "
				+ "starter's first step (which also holds the connection checkout, the transaction start, the "
				+ "previous batch's event and the stop check) is %s ms at 1,000 and %s ms at 10,000, against %s ms "
				+ "and %s ms for the loop's key select (the starter reads the first and last key and their number, "
				+ "the loop every key). The second connection's select runs beside the update, on "
				+ "a machine whose cores the database shares with the application: the update step takes %s ms "
				+ "against %s ms with `read-ahead=false` at 1,000, %s ms against %s ms at 10,000. Reading ahead "
				+ "changes the rows/s by %s at 1,000 and %s at 10,000 against the same starter with it off.",
				millis(median(get(B1K).phaseNanos(), "select keys")),
				millis(median(get(B10K).phaseNanos(), "select keys")), millis(select),
				millis(median(get(C10K).phaseNanos(), "select keys")),
				millis(median(get(B1K).phaseNanos(), "update rows")),
				millis(median(get(B1K_NO_READ_AHEAD).phaseNanos(), "update rows")),
				millis(median(get(B10K).phaseNanos(), "update rows")),
				millis(median(get(B10K_NO_READ_AHEAD).phaseNanos(), "update rows")),
				signedPercent(ratio(B1K, B1K_NO_READ_AHEAD) - 1), signedPercent(ratio(B10K, B10K_NO_READ_AHEAD) - 1)));
		points.add(String.format(Locale.ROOT, "The starter's own cost, read-ahead off, against the hand-written loop: "
				+ "%s by the sum of median step times and %s in wall time at 1,000 (positive: the starter is slower). "
				+ "On the JVM it uses %.3f ms of CPU per batch against %.3f ms for the loop, %+.3f ms a batch or "
				+ "%.1f%% of the loop's median batch of %.2f ms: a pooled connection checkout, a Spring transaction, "
				+ "the owner-token guard on the checkpoint update and the batch event. Once per run it adds the lock, "
				+ "the history rows and, beside the first batches, the `count(*)` for the total (%.0f ms here, alone).",
				signedPercent(sumOfSteps(get(B1K_NO_READ_AHEAD)) / sumOfSteps(get(C1K)) - 1),
				signedPercent(overhead(B1K_NO_READ_AHEAD, C1K)), cpuB1k, cpuC1k, cpuB1k - cpuC1k,
				100 * (cpuB1k - cpuC1k) / batchC1k, batchC1k, this.countNanos / 1e6));
		points.add(String.format(Locale.ROOT, "Commits that wait for the WAL flush (`synchronous-commit=true`) "
				+ "change the starter's rows/s by %s at 1,000 and %s at 10,000.",
				signedPercent(ratio(B1K_SYNC, B1K) - 1), signedPercent(ratio(B10K_SYNC, B10K) - 1)));
		points.add(String.format(Locale.ROOT, "The JPA loop changes %,.0f rows/s: it loads whole entities and sends one "
				+ "UPDATE per row, 1,000 round trips per chunk, where the other ways send one range UPDATE per batch. "
				+ "A round trip of `select 1` takes %.3f ms here (see Machine); each one the JPA loop sends costs it "
				+ "that at least, while the batched ways send one to four per batch. Its JVM thread CPU is %.1f ms "
				+ "per chunk of "
				+ "1,000 (Hibernate: entity loading, dirty checking, statements).", get(D).rowsPerSecond(),
				this.network.roundTripMillis(), cpuPerBatchMillis(get(D), 1_000)));
		points.add("Noise: on a loaded machine wall times vary by tens of percent between rounds (see rows/s of each "
				+ "round), more than the 5% and 15% margins of the targets; a target missed by less than that spread "
				+ "says nothing until rerun on a quiet machine. JVM thread CPU is the steadier figure for the "
				+ "starter's own cost.");
		StringBuilder text = new StringBuilder();
		points.forEach((point) -> text.append("- ").append(point).append('\n'));
		return text.toString();
	}

	private static double median(Map<String, long[]> steps, String step) {
		return Result.percentileMillis(steps.get(step), 50);
	}

	private String loadNote() {
		String measured = String.format(Locale.ROOT, "1-minute load average %.2f on %d cores at the start.",
				this.machine.loadAverageAtStart(), this.machine.cores());
		String note = this.settings.note().isBlank() ? "" : " " + this.settings.note();
		if (this.machine.oldestOtherTransactionSeconds() > 60) {
			note += String.format(Locale.ROOT, " Another session held a transaction open for %.0f s at the start (it "
					+ "holds back the horizon below which PostgreSQL may prune dead row versions, for every table).",
					this.machine.oldestOtherTransactionSeconds());
		}
		if (this.machine.loadAverageAtStart() > 0.5 * this.machine.cores()) {
			return "The machine was busy: " + measured + note
					+ (this.settings.note().isBlank() ? " The figures are noisy; rerun on a quiet machine." : "");
		}
		return measured + note;
	}

	private Result get(String way) {
		return this.results.get(way);
	}

	/**
	 * How much more time one way took than another for the same rows, as a fraction: the median over
	 * the rounds of each round's figure.
	 */
	private double overhead(String way, String baseline) {
		return ratio(baseline, way) - 1;
	}

	/**
	 * One way's rows/s over another's in each round, in the order of the rounds.
	 */
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
	 * One way's rows/s over another's: the median over the rounds of each round's ratio, so that a
	 * machine that speeds up or slows down between rounds does not move it.
	 */
	private double ratio(String way, String baseline) {
		double[] ratios = roundRatios(way, baseline);
		Arrays.sort(ratios);
		return (ratios.length % 2 == 1) ? ratios[ratios.length / 2]
				: (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
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

}
