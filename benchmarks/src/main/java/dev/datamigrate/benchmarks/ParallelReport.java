package dev.datamigrate.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The parallel-walk benchmark's section of BENCHMARKS.md. A run replaces the section but keeps the
 * hand-written notes at its end; the throughput benchmark, which rewrites the file, keeps the whole section.
 */
final class ParallelReport {

	static final String HEADING = "## Parallel walks";

	private static final MarkdownSection SECTION = new MarkdownSection(HEADING);

	private static final String NOTES = "### Why";

	/** Targets of issue 19, as multiples of one worker's rows/s. */
	private static final double FOUR_WORKERS = 3.5;

	private static final double TWO_JVMS = 6;

	private final Settings settings;

	private final Machine machine;

	private final String command;

	private final int appRows;

	private final int dbRows;

	private final long rowMicros;

	private final List<ParallelRun> application;

	private final List<ParallelRun> database;

	ParallelReport(Settings settings, Machine machine, String command, int appRows, int dbRows, long rowMicros,
			List<ParallelRun> application, List<ParallelRun> database) {
		this.settings = settings;
		this.machine = machine;
		this.command = command;
		this.appRows = appRows;
		this.dbRows = dbRows;
		this.rowMicros = rowMicros;
		this.application = application;
		this.database = database;
	}

	/** The tables, for the console. */
	String tables() {
		return applicationTable() + "\n" + databaseTable() + "\n" + targets();
	}

	/**
	 * Write the section into a file, in place of an earlier one, or at its end.
	 * @param file BENCHMARKS.md
	 * @throws IOException if the file cannot be read or written
	 */
	void write(Path file) throws IOException {
		SECTION.write(file, this::markdown);
	}

	/**
	 * The section as a file has it, for a writer of the whole file to keep.
	 * @param file BENCHMARKS.md
	 * @return the section, or nothing
	 * @throws IOException if the file cannot be read
	 */
	static String section(Path file) throws IOException {
		return SECTION.in(file);
	}

	private String markdown(String old) {
		StringBuilder md = new StringBuilder();
		md.append(HEADING).append("\n\n");
		md.append("Written by `dev.datamigrate.benchmarks.ParallelBenchmark`: a run replaces this section but keeps its "
				+ "hand-written notes at the end; the throughput benchmark above keeps the section when it rewrites the "
				+ "file.\n\n");
		md.append("```\n").append(this.command).append("\n```\n\n");
		md.append(String.format(Locale.ROOT, "From the repository root, with PostgreSQL as above (`-Dbenchmark.url=` and "
				+ "so on). Other knobs: `-Dbenchmark.app-rows=` (default 100000), `-Dbenchmark.db-rows=` (default "
				+ "1000000) and `-Dbenchmark.row-micros=` (default 2000: the handler's sleep per row). The run makes a "
				+ "schema of its own and drops it at the end; the last one took %d s.%n%n",
				Duration.between(this.settings.start(), ZonedDateTime.now()).toSeconds()));
		md.append(String.format(Locale.ROOT, "Each way runs in JVMs of its own (`-Xmx512m`), started at the same moment: "
				+ "a Spring Boot application with the whole starter, Hikari with its defaults (10 connections), "
				+ "`data-migrate.on-startup=run` and one `@DataMigration`. Whichever JVM takes the queue lock first (the "
				+ "lead) splits the key space into ranges and runs the walk; the other's startup run waits for that lock "
				+ "and meanwhile looks every 2 s for parallel walks to join, and joins this one "
				+ "(`data-migrate.batch.join-from-other-instances`, true by default). The time is the history's "
				+ "`duration_ms`: from the migration's start to SUCCEEDED, so JVM start-up is not in it, but a joining "
				+ "JVM's late start is. Each way starts from a table made anew, vacuumed, analyzed and checkpointed; "
				+ "after it, every row is checked to have been changed once, the history to say SUCCEEDED with every "
				+ "row processed and every range to be DONE.%n%n"
				+ "- Application-bound: `parallel_items(id bigint primary key, n int)`, %,d rows; "
				+ "`.size(%d).run(batch -> { Thread.sleep(%.1f ms x batch.size()); update parallel_items set n = n + 1 "
				+ "where id between ? and ? })`: %.0f ms of sleep a batch, which needs no core. The ideal is %,.0f rows/s "
				+ "a worker.%n"
				+ "- Database-bound: the throughput benchmark's table (`notify_log_entries`, %,d rows) and its "
				+ "`update(sql)` backfill with default settings (batches sized by time, target 100 ms).%n%n"
				+ "Workers busy: the batch transactions' time (as the runner timed them, summed over every worker) over "
				+ "the workers' time (workers x the migration's duration); the rest went to splitting, claiming ranges, "
				+ "joining late and waiting at the end. First batch: from the migration's start to each JVM's first batch "
				+ "transaction; tail: from each JVM's last commit to SUCCEEDED; both in the order the JVMs were started.%n%n",
				this.appRows,
				ParallelBenchmark.HANDLER_BATCH_SIZE, this.rowMicros / 1000.0,
				this.rowMicros * ParallelBenchmark.HANDLER_BATCH_SIZE / 1000.0, 1e6 / this.rowMicros, this.dbRows));
		md.append("### Application-bound\n\n").append(applicationTable()).append('\n');
		md.append("### Database-bound\n\n").append(databaseTable()).append('\n');
		md.append("### Targets\n\n").append(targets()).append('\n');
		md.append(interpretation()).append('\n');
		md.append(String.format(Locale.ROOT, "Machine: %s, %d cores; %s; %s; PostgreSQL on the same machine over TCP "
				+ "(%s). Load average (1, 5, 15 min): %s at the start, %s at the end. Load note: %s%n",
				this.machine.cpu(), this.machine.cores(), this.machine.os(), this.machine.java(), this.machine.postgres(),
				this.machine.loadAtStart(), this.machine.loadAtEnd(), this.machine.loadNote(this.settings.note())));
		int notes = old.indexOf(NOTES);
		if (notes >= 0) {
			md.append('\n').append(old.substring(notes).stripTrailing()).append('\n');
		}
		return md.toString();
	}

	private String applicationTable() {
		StringBuilder md = new StringBuilder("| way | workers | rows | seconds | rows/s | vs 1 worker | % of ideal | ranges "
				+ "(by instance) | batches | workers busy | handler share of a batch | first batch, ms | tail, ms |\n"
				+ "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
		double base = this.application.get(0).rowsPerSecond();
		for (ParallelRun run : this.application) {
			double ideal = run.totalWorkers() * 1e6 / this.rowMicros;
			md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.1f | %,.0f | %.2fx | %.1f%% | %s | %,d | %.1f%% | "
					+ "%.1f%% | %s | %s |%n", run.way(), workers(run), run.rows(), run.seconds(), run.rowsPerSecond(),
					run.rowsPerSecond() / base, 100 * run.rowsPerSecond() / ideal, ranges(run), run.batches(),
					100 * run.busyShare(), 100 * run.handlerShare(), perJvm(run, run.firstBatchMillis()),
					perJvm(run, run.tailMillis())));
		}
		return md.toString();
	}

	private String databaseTable() {
		StringBuilder md = new StringBuilder("| way | workers | rows | seconds | rows/s | vs plain walk | ranges (by "
				+ "instance) | batches | rows a batch | workers busy | first batch, ms | tail, ms |\n"
				+ "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
		double base = this.database.get(0).rowsPerSecond();
		for (ParallelRun run : this.database) {
			md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.1f | %,.0f | %.2fx | %s | %,d | %,.0f | %.1f%% | %s "
					+ "| %s |%n", run.way(), workers(run), run.rows(), run.seconds(), run.rowsPerSecond(),
					run.rowsPerSecond() / base, ranges(run), run.batches(), run.rowsPerBatch(), 100 * run.busyShare(),
					perJvm(run, run.firstBatchMillis()), perJvm(run, run.tailMillis())));
		}
		return md.toString();
	}

	private String targets() {
		double base = this.application.get(0).rowsPerSecond();
		StringBuilder md = new StringBuilder("| target | measured | result |\n|---|---:|---|\n");
		md.append(target("parallel(4) in one JVM: >= 3.5x one worker's rows/s", this.application.get(1).rowsPerSecond()
				/ base, FOUR_WORKERS));
		md.append(target("parallel(4) in each of 2 JVMs (8 workers): >= 6x one worker's rows/s",
				this.application.get(2).rowsPerSecond() / base, TWO_JVMS));
		return md.toString();
	}

	private static String target(String name, double measured, double target) {
		return String.format(Locale.ROOT, "| %s | %.2fx | %s |%n", name, measured, (measured >= target) ? "PASS" : "MISS");
	}

	private String interpretation() {
		ParallelRun one = this.application.get(0);
		ParallelRun four = this.application.get(1);
		ParallelRun eight = this.application.get(2);
		StringBuilder md = new StringBuilder();
		md.append(String.format(Locale.ROOT, "- Application-bound: one worker changes %,.0f rows/s (%.1f%% of the %,.0f "
				+ "its sleep allows); parallel(4) in one JVM %,.0f rows/s (%.2fx), with the workers busy %.1f%% of the "
				+ "time; two JVMs of parallel(4) %,.0f rows/s (%.2fx), busy %.1f%%, the joining JVM's first batch %s ms "
				+ "after the migration's start (the lead's %s ms). SUCCEEDED came %s ms after the last commit of one "
				+ "JVM of parallel(4) and %s ms after that of two.%n", one.rowsPerSecond(),
				100 * one.rowsPerSecond() * this.rowMicros / 1e6, 1e6 / this.rowMicros, four.rowsPerSecond(),
				four.rowsPerSecond() / one.rowsPerSecond(), 100 * four.busyShare(), eight.rowsPerSecond(),
				eight.rowsPerSecond() / one.rowsPerSecond(), 100 * eight.busyShare(), firstBatch(eight, false),
				firstBatch(eight, true), lastTail(four), lastTail(eight)));
		ParallelRun plain = this.database.get(0);
		List<ParallelRun> parallel = this.database.subList(1, this.database.size());
		md.append(String.format(Locale.ROOT, "- Database-bound: %s. Issue 19 expects no speed-up on this %d-core machine, "
				+ "shared by PostgreSQL, the application's JVM and other work. The parallel walks' batches held %,.0f to "
				+ "%,.0f rows on average, the plain walk's %,.0f, over %d ranges: a worker carries its batches' size "
				+ "from one range to its next, and workers that share the database each reach the target time with "
				+ "fewer rows.%n", this.database.stream()
					.map((run) -> String.format(Locale.ROOT, "%s %,.0f rows/s (%.2fx)", run.way(), run.rowsPerSecond(),
							run.rowsPerSecond() / plain.rowsPerSecond()))
					.collect(Collectors.joining(", ")), this.machine.cores(),
				parallel.stream().mapToDouble(ParallelRun::rowsPerBatch).min().orElse(0),
				parallel.stream().mapToDouble(ParallelRun::rowsPerBatch).max().orElse(0), plain.rowsPerBatch(),
				parallel.stream().mapToInt(ParallelRun::ranges).max().orElse(0)));
		md.append("- Each figure is one run on a shared machine; the database-bound ones move by tens of percent "
				+ "with other load (see the throughput benchmark's rounds above). The sleep-bound ones are steadier.\n");
		return md.toString();
	}

	private static String workers(ParallelRun run) {
		return (run.workers() == 0) ? "1" : (run.jvms() == 1) ? Integer.toString(run.workers())
				: run.jvms() + " x " + run.workers();
	}

	private static String ranges(ParallelRun run) {
		if (run.ranges() == 0) {
			return "-";
		}
		String owners = run.owners().stream()
			.map((owner) -> owner.ranges() + " by " + owner.instance()
					+ (owner.instance().equals(run.lead()) ? " (lead)" : ""))
			.collect(Collectors.joining(", "));
		return run.ranges() + ((run.owners().size() > 1) ? " (" + owners + ")" : "");
	}

	/**
	 * One figure per JVM, in the order they were started; with several, the lead's marked.
	 */
	private static String perJvm(ParallelRun run, List<Long> millis) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < millis.size(); i++) {
			text.append((i > 0) ? " / " : "").append((millis.get(i) != null) ? millis.get(i).toString() : "-");
			if (millis.size() > 1 && run.isLead(run.jvmFigures().get(i))) {
				text.append(" (lead)");
			}
		}
		return text.toString();
	}

	/** The first batch of the lead's JVM, or of the joining one(s). */
	private static String firstBatch(ParallelRun run, boolean lead) {
		List<Long> millis = run.firstBatchMillis();
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < millis.size(); i++) {
			if (run.isLead(run.jvmFigures().get(i)) == lead) {
				text.append((text.length() > 0) ? " / " : "").append(millis.get(i));
			}
		}
		return text.toString();
	}

	/** From the last commit of any JVM to SUCCEEDED. */
	private static long lastTail(ParallelRun run) {
		return run.tailMillis().stream().filter((tail) -> tail != null).mapToLong(Long::longValue).min().orElse(0);
	}

}
