package dev.datamigrate.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.datamigrate.process.ChildMigrations.CountMillionItemsOnce;
import dev.datamigrate.process.ChildMigrations.MillionRowBackfill;
import dev.datamigrate.testsupport.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backfill over a 1,000,000-row PostgreSQL table whose JVM is killed with SIGKILL three times, at
 * three different points of its progress (read from the history row while it runs), and restarted
 * each time in a fresh JVM: every restart resumes from the last committed checkpoint, and the backfill
 * ends SUCCEEDED with every row changed exactly once.
 * <p>
 * The migration increments a per-row counter, so a batch applied twice would show as a 2. After each
 * kill, once the killed JVM's database sessions are gone (so no commit of it can still land), the test
 * reads the history row and checks the table against it: every row up to the checkpoint has counter
 * 1, every row after it 0, nothing else; the batch in flight at the kill left no trace.
 * <p>
 * Once by a handler, once by {@code update(sql)}, whose batches PostgreSQL runs itself in loops of half a
 * second: a kill then leaves a loop running in the database until it notices that its client is gone.
 */
class MillionRowBackfillKilledThreeTimesProcessTests extends ChildJvmTestSupport {

	private static final String VERSION = CountMillionItemsOnce.VERSION;

	private static final long ROWS = 1_000_000;

	private static final int BATCH_SIZE = CountMillionItemsOnce.BATCH_SIZE;

	private static final long BATCHES = ROWS / BATCH_SIZE;

	/** Kill the running JVM once this share of the records is processed, one point per kill. */
	private static final int[] KILL_AT_PERCENT = { 10, 45, 80 };

	/**
	 * A small throttle for the handler so each kill point is reached well before the run ends, even on a
	 * fast machine; none for the statement, whose batches the database runs only without one.
	 */
	private static final String HANDLER_PAUSE = "2ms";

	private static final Duration RUN_BOUND = Duration.ofSeconds(120);

	private static final Pattern RESUMED = Pattern.compile("data_migration_resumed .*checkpoint=\"?(\\d+)\"?");

	private static final Pattern BATCH_PROCESSED = Pattern.compile("data_migration_batch .*batch_processed=(\\d+)");

	private static final Pattern START_TOTAL = Pattern.compile("data_migration_start .*total_records=(\\d+)");

	@ParameterizedTest(name = "by statement: {0}")
	@ValueSource(booleans = { false, true })
	void backfillKilledThreeTimesResumesEachTimeAndChangesEveryRowExactlyOnce(boolean byStatement) throws Exception {
		long testStart = System.nanoTime();
		useDatabase(Kind.POSTGRESQL);
		long seedStart = System.nanoTime();
		seed();
		List<String> figures = new ArrayList<>();
		figure(figures, String.format("seeded %,d rows in %.1f s", ROWS, seconds(seedStart)));

		Committed previous = null;
		for (int run = 1; run <= KILL_AT_PERCENT.length; run++) {
			long threshold = ROWS * KILL_AT_PERCENT[run - 1] / 100;
			long startedAt = System.nanoTime();
			ChildJvm child = start("million-run" + run, MillionRowBackfill.class, arguments(run, byStatement));
			awaitProcessed(child, threshold);
			// the assertions below read the batch events of the run to be killed: wait for them, not for the row
			awaitBatchLogged(child);
			assertThat(sessions(run)).as("the child's sessions are known by their application name").isPositive();
			child.kill();
			long killedAt = System.currentTimeMillis();
			double secondsToKill = seconds(startedAt);
			assertThat(child.awaitExit(Duration.ofSeconds(5))).as("died of SIGKILL").isEqualTo(128 + 9);
			awaitSessionsGone(run);

			Map<String, Object> row = historyRow(VERSION).orElseThrow();
			Committed committed = Committed.of(row);
			assertThat(status(row)).as("a killed run is not a failure: the row stays RUNNING").isEqualTo("RUNNING");
			assertThat(number(row, "attempts")).as("one attempt per start").isEqualTo(run);
			assertThat(number(row, "records_total")).isEqualTo(ROWS);
			assertCountersMatchCheckpoint(committed);
			assertThat(committed.processed()).as("killed at the intended point, before the end")
				.isGreaterThanOrEqualTo(threshold)
				.isLessThan(ROWS);
			assertThat(committed.batches() * BATCH_SIZE).as("records_processed counts whole committed batches")
				.isEqualTo(committed.processed());
			assertThat(committed.checkpoint()).as("ids are 1..N, so the checkpoint is the count of rows done")
				.isEqualTo(committed.processed());
			if (previous != null) {
				assertThat(committed.processed()).as("this run went on from the last one").isGreaterThan(previous.processed());
				assertResumedFrom(child, previous);
			}
			else {
				assertThat(child.stdout()).as("the first run starts from the beginning")
					.doesNotContain("data_migration_resumed");
				assertThat(firstBatchProcessed(child)).isEqualTo(1);
			}
			figure(figures, String.format(
					"run %d (pid %d): killed at %.1f%% (threshold %d%%, checkpoint %d, batches %d, attempts %d) "
							+ "%.1f s after its JVM started; %,d rows committed in %.1f s after taking the lock",
					run, child.pid(), 100.0 * committed.processed() / ROWS, KILL_AT_PERCENT[run - 1],
					committed.checkpoint(), committed.batches(), number(row, "attempts"), secondsToKill,
					committed.processed() - ((previous != null) ? previous.processed() : 0),
					(killedAt - lockAcquiredAt(child)) / 1000.0));
			previous = committed;
		}

		// the fourth start runs the rest and exits
		long startedAt = System.nanoTime();
		ChildJvm last = start("million-run4", MillionRowBackfill.class, arguments(4, byStatement));
		int code = last.awaitExit(RUN_BOUND);
		long exitedAt = System.currentTimeMillis();
		figure(figures, String.format(
				"run 4 (pid %d): exited with code %d %.1f s after its JVM started; %,d rows committed in %.1f s "
						+ "after taking the lock",
				last.pid(), code, seconds(startedAt), ROWS - previous.processed(),
				(exitedAt - lockAcquiredAt(last)) / 1000.0));
		figure(figures, String.format("total %.1f s", seconds(testStart)));
		System.out.println("[million-row backfill] summary:\n  " + String.join("\n  ", figures));

		assertThat(code).as(last.tail()).isZero();
		assertResumedFrom(last, previous);
		assertThat(last.stdout()).contains("data_migration_finish");
		Map<String, Object> row = historyRow(VERSION).orElseThrow();
		assertThat(status(row)).isEqualTo("SUCCEEDED");
		assertThat(number(row, "records_processed")).isEqualTo(ROWS);
		assertThat(number(row, "records_total")).isEqualTo(ROWS);
		assertThat(number(row, "batches_done")).isEqualTo(BATCHES);
		assertThat(number(row, "attempts")).as("four starts, four attempts").isEqualTo(4);
		assertThat(row.get("checkpoint")).isEqualTo(String.valueOf(ROWS));
		assertThat((String) row.get("executed_by")).endsWith(":" + last.pid());
		assertThat(row.get("owner_token")).isNull();

		// the effect, exactly once: every row counted once, none missed, none twice
		Map<Integer, Long> counters = new TreeMap<>();
		for (Map<String, Object> group : this.jdbc
			.queryForList("select counter, count(*) as rows from million_items group by counter")) {
			counters.put(((Number) group.get("counter")).intValue(), ((Number) group.get("rows")).longValue());
		}
		assertThat(counters).containsExactlyEntriesOf(Map.of(1, ROWS));
	}

	/** Print a measured figure at once (so a failed run shows its figures too) and keep it for the summary. */
	private static void figure(List<String> figures, String figure) {
		System.out.println("[million-row backfill] " + figure);
		figures.add(figure);
	}

	private void seed() {
		this.jdbc.execute("create table million_items (id bigint not null, counter integer not null)");
		this.jdbc.update("insert into million_items (id, counter) select g, 0 from generate_series(1, ?) g", ROWS);
		this.jdbc.execute("alter table million_items add primary key (id)");
		this.jdbc.execute("analyze million_items");
	}

	private String[] arguments(int run, boolean byStatement) {
		return new String[] { "--data-migrate.on-startup=run-and-exit",
				"--data-migrate.batch.pause=" + (byStatement ? "0ms" : HANDLER_PAUSE), "--million.by-statement=" + byStatement,
				"--data-migrate.lock.wait-timeout=1m",
				"--spring.datasource.hikari.data-source-properties.ApplicationName=" + applicationName(run) };
	}

	private String applicationName(int run) {
		return "dm-million-" + this.database.name() + "-" + run;
	}

	/** Wait until the running child has committed at least so many records. */
	private void awaitProcessed(ChildJvm child, long records) {
		ChildJvm.await("at least " + records + " records processed", RUN_BOUND, () -> {
			Map<String, Object> row = historyRow(VERSION).orElse(null);
			if (!child.isAlive()) {
				throw new AssertionError(child + " exited before the kill point; row " + row + "\n" + child.tail());
			}
			if (row == null || !"RUNNING".equals(status(row))) {
				return false;
			}
			assertThat(number(row, "records_processed")).as("the run must not end before its kill point")
				.isLessThan(ROWS);
			return number(row, "records_processed") >= records;
		}, child);
	}

	/** Wait until the running child has logged a batch event, which it logs after its start and resume events. */
	private static void awaitBatchLogged(ChildJvm child) {
		child.awaitLine("a data_migration_batch event", (line) -> BATCH_PROCESSED.matcher(line).find(), RUN_BOUND);
	}

	/**
	 * Wait until the database has closed every session of a killed run, so a commit it had sent can no
	 * longer land after the test reads the table.
	 */
	private void awaitSessionsGone(int run) {
		ChildJvm.await("the killed JVM's sessions to end", Duration.ofSeconds(30), () -> sessions(run) == 0);
	}

	private long sessions(int run) {
		Long count = this.jdbc.queryForObject("select count(*) from pg_stat_activity where application_name = ?",
				Long.class, applicationName(run));
		return (count != null) ? count : 0;
	}

	/** Rows up to the checkpoint changed once, rows after it not at all, nothing else. */
	private void assertCountersMatchCheckpoint(Committed committed) {
		Map<String, Object> counts = this.jdbc.queryForMap("select count(*) as total, "
				+ "count(*) filter (where id <= ? and counter = 1) as done_once, "
				+ "count(*) filter (where id > ? and counter = 0) as untouched from million_items",
				committed.checkpoint(), committed.checkpoint());
		assertThat(counts).as("counters after the kill at checkpoint " + committed.checkpoint())
			.containsExactlyInAnyOrderEntriesOf(Map.of("total", ROWS, "done_once", committed.checkpoint(), "untouched",
					ROWS - committed.checkpoint()));
	}

	/** The run started from the last committed checkpoint and batch, not from the beginning. */
	private static void assertResumedFrom(ChildJvm child, Committed previous) {
		String stdout = child.stdout();
		List<Long> resumed = matches(RESUMED, stdout);
		assertThat(resumed).as("one data_migration_resumed with the last committed checkpoint")
			.containsExactly(previous.checkpoint());
		assertThat(matches(START_TOTAL, stdout)).as("the total counted by the first run").containsExactly(ROWS);
		assertThat(firstBatchProcessed(child)).as("the first batch after the resume")
			.isEqualTo(previous.batches() + 1);
	}

	private static long lockAcquiredAt(ChildJvm child) {
		return epochMillis(child.awaitLine(ChildApp.LOCK_ACQUIRED, Duration.ofSeconds(1)), ChildApp.LOCK_ACQUIRED);
	}

	private static long firstBatchProcessed(ChildJvm child) {
		List<Long> batches = matches(BATCH_PROCESSED, child.stdout());
		assertThat(batches).as("batches logged by " + child).isNotEmpty();
		return batches.get(0);
	}

	private static List<Long> matches(Pattern pattern, String text) {
		List<Long> values = new ArrayList<>();
		for (String line : text.lines().toList()) {
			Matcher matcher = pattern.matcher(line);
			if (matcher.find()) {
				values.add(Long.parseLong(matcher.group(1)));
			}
		}
		return values;
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	/**
	 * What the history row says was committed when a run was killed.
	 *
	 * @param checkpoint the last committed key
	 * @param processed records processed
	 * @param batches batches done
	 */
	private record Committed(long checkpoint, long processed, long batches) {

		static Committed of(Map<String, Object> row) {
			return new Committed(Long.parseLong((String) row.get("checkpoint")), number(row, "records_processed"),
					number(row, "batches_done"));
		}

	}

}
