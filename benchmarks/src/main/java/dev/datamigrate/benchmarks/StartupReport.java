package dev.datamigrate.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

import dev.datamigrate.benchmarks.startup.StartupApplication.Start;

/**
 * The startup benchmark's section of BENCHMARKS.md. A run replaces the section but keeps the table rows of
 * other code (so that before and after stand side by side) and the hand-written notes at its end; the
 * throughput benchmark, which rewrites the file, keeps the whole section.
 */
final class StartupReport {

	static final String HEADING = "## Startup with nothing pending";

	private static final MarkdownSection SECTION = new MarkdownSection(HEADING);

	private static final String NOTES = "### Where the time went";

	private final Settings settings;

	private final Machine machine;

	private final int migrations;

	private final String command;

	private final List<StartupBenchmark.Code> codes;

	StartupReport(Settings settings, Machine machine, int migrations, String command,
			List<StartupBenchmark.Code> codes) {
		this.settings = settings;
		this.machine = machine;
		this.migrations = migrations;
		this.command = command;
		this.codes = codes;
	}

	/**
	 * This run's rows, for the console.
	 * @return the rows
	 */
	String summary() {
		return String.join("\n", rows());
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
		md.append("Written by `dev.datamigrate.benchmarks.StartupBenchmark`: a run puts its rows in the table below, "
				+ "in place of the rows of the same code, and keeps the others; the throughput benchmark above keeps this "
				+ "section when it rewrites the file.\n\n");
		md.append("```\n").append(this.command).append("\n```\n\n");
		md.append("From the repository root, with PostgreSQL as above (`-Dbenchmark.url=` and so on). Other knobs: "
				+ "`-Dbenchmark.migrations=` (default 200), `-Dbenchmark.starts=` (default 20: pairs of warm starts), "
				+ "`-Dbenchmark.jvms=` (default 8: pairs of fresh JVMs), `-Dbenchmark.label=` (default: the commit, "
				+ "with `+` when the work tree had changes), `-Dbenchmark.baseline=` (the jar or classes directory of "
				+ "another build of `data-migrate-spring-boot-autoconfigure`, such as one built at an earlier commit, "
				+ "which then takes turns with this build, so that both meet the same load) and "
				+ "`-Dbenchmark.baseline-label=`. The run makes a database of its own and drops it at the end; "
				+ String.format(Locale.ROOT, "the last one took %d s.",
						Duration.between(this.settings.start(), ZonedDateTime.now()).toSeconds())
				+ "\n\n");
		md.append(String.format(Locale.ROOT, "The application: %d `@DataMigration` classes, each a class of its own with "
				+ "its version (generated and compiled at the start of the run, found by component scanning), Liquibase "
				+ "with a changelog of five changesets (one labelled post-deploy), Hikari with its defaults, no web server, "
				+ "`data-migrate.on-startup=run`, logging at INFO to a file. A first start applies the changelog and runs "
				+ "the migrations; every measured start then finds all %d SUCCEEDED and every changeset applied (checked "
				+ "before and after the measured starts: each migration ran once). Starts come in pairs, one with the "
				+ "starter and one with `data-migrate.enabled=false` (the starter's auto-configuration off; the migration "
				+ "beans are still created), in an order that alternates from pair to pair, each in a JVM of its own: "
				+ "warm, %d pairs in one JVM after five starts that are not measured (classes loaded, code compiled), "
				+ "and fresh, one start per JVM. With a baseline, the two builds take turns: one warm JVM of each, then "
				+ "the other first, and so on; one fresh pair of each, and so on.%n%n", this.migrations, this.migrations,
				StartupBenchmark.PAIRS_PER_WARM_JVM));
		md.append("Figures from Spring's startup steps (`BufferingApplicationStartup`), in ms:\n\n"
				+ "- Liquibase's end to Started: from the end of the `liquibase` bean's creation (its update) to "
				+ "`spring.boot.application.started` (when \"Started ...\" is logged). The starter's run is in this span.\n"
				+ "- Added: for each pair, that span with the starter less that span without; the median and quartiles "
				+ "of the pairs.\n"
				+ "- The run: `DataMigrationsStartup.afterSingletonsInstantiated` (the step "
				+ "`spring.beans.smart-initialize`): the schema tool's pending changes, the history and, when there is "
				+ "something to do, the lock and the work.\n"
				+ "- Starter's beans: creating the beans of the starter's classes (`dev.datamigrate`), each bean's own "
				+ "time without the beans it made for its dependencies, before or after Liquibase.\n"
				+ "- To Started: from `SpringApplication.run` to Started.\n\n");
		md.append("| code | JVM | pairs | added after Liquibase: median (p25 to p75) | Liquibase's end to Started, with / "
				+ "without the starter: median (min to max) | the run: median (p25 to p75) | starter's beans: median "
				+ "| to Started, with / without: median | load average (1, 5, 15 min) at start; at end | date |\n");
		md.append("|---|---|---:|---:|---:|---:|---:|---:|---|---|\n");
		List<String> rows = new ArrayList<>();
		for (String line : old.split("\n")) {
			if (line.startsWith("| ") && !line.startsWith("| code |")
					&& this.codes.stream().noneMatch((code) -> line.startsWith("| " + code.label() + " |"))) {
				rows.add(line);
			}
		}
		rows.addAll(rows());
		rows.forEach((row) -> md.append(row).append('\n'));
		md.append('\n').append(String.format(Locale.ROOT, "Machine of the last run: %s, %d cores; %s; %s; PostgreSQL on "
				+ "the same machine over TCP (%s). Load note: %s%n", this.machine.cpu(), this.machine.cores(),
				this.machine.os(), this.machine.java(), this.machine.postgres(),
				this.machine.loadNote(this.settings.note())));
		int notes = old.indexOf(NOTES);
		if (notes >= 0) {
			md.append('\n').append(old.substring(notes).stripTrailing()).append('\n');
		}
		return md.toString();
	}

	private List<String> rows() {
		String date = DateTimeFormatter.ISO_LOCAL_DATE.format(this.settings.start());
		String load = this.machine.loadAtStart() + "; " + this.machine.loadAtEnd();
		List<String> rows = new ArrayList<>();
		for (StartupBenchmark.Code code : this.codes) {
			rows.add(row(code.label(), "warm", code.warm(), load, date));
			rows.add(row(code.label(), "fresh, one per start", code.fresh(), load, date));
		}
		return rows;
	}

	private String row(String label, String jvm, List<Start[]> pairs, String load, String date) {
		long[] added = pairs.stream().mapToLong((pair) -> pair[0].afterLiquibase() - pair[1].afterLiquibase()).toArray();
		long[] with = values(pairs, 0, Start::afterLiquibase);
		long[] without = values(pairs, 1, Start::afterLiquibase);
		long[] run = values(pairs, 0, Start::run);
		return String.format(Locale.ROOT, "| %s | %s | %d | %s (%s to %s) | %s (%s to %s) / %s (%s to %s) | %s (%s to %s) "
				+ "| %s | %s / %s | %s | %s |", label, jvm, pairs.size(), ms(added, 50), ms(added, 25),
				ms(added, 75), ms(with, 50), ms(with, 0), ms(with, 100), ms(without, 50), ms(without, 0),
				ms(without, 100), ms(run, 50), ms(run, 25), ms(run, 75), ms(values(pairs, 0, Start::starterBeans), 50),
				ms(values(pairs, 0, Start::toStarted), 50), ms(values(pairs, 1, Start::toStarted), 50), load, date);
	}

	private static long[] values(List<Start[]> pairs, int index, ToLongFunction<Start> figure) {
		return pairs.stream().mapToLong((pair) -> figure.applyAsLong(pair[index])).toArray();
	}

	private static String ms(long[] nanos, double percentile) {
		return String.format(Locale.ROOT, "%.1f", Result.percentile(nanos, percentile) / 1e6);
	}

}
