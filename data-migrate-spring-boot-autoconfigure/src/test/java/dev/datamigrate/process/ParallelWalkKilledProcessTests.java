package dev.datamigrate.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.datamigrate.process.ChildMigrations.CountItemsOnceInParallel;
import dev.datamigrate.process.ChildMigrations.ParallelMillionRowBackfill;
import dev.datamigrate.testsupport.TestDatabase.Kind;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1,000,000-row backfill walked in parallel, four workers on each of three JVMs started at once on one
 * database, two of which are killed with SIGKILL at two points of its progress (read from the ranges
 * table): first the instance that holds the queue lock (it split the key space and is to finish the
 * migration), then, once a restarted JVM has joined, an instance that only joined. The killed instances'
 * ranges are taken over when their leases run out, the queue by an instance that waited for its lock, and
 * the backfill ends SUCCEEDED with every row counted exactly once and every range done up to its upper
 * bound.
 * <p>
 * The migration adds one to a per-row counter, so a batch applied twice would show as a 2. After each
 * kill, once the killed JVM's database sessions are gone (so no commit of it can still land), the test
 * reads every range's checkpoint and then the table: no row is counted twice, and every row up to a
 * range's checkpoint is counted once, while the other instances go on working. At the end the surviving
 * instances are killed too, and the table is checked once nothing can change it any more.
 * <p>
 * The JVMs' sessions are told apart by their application name on PostgreSQL and by a database user of
 * their own on MariaDB, whose connections carry no name the server shows.
 */
class ParallelWalkKilledProcessTests extends ChildJvmTestSupport {

	private static final String VERSION = CountItemsOnceInParallel.VERSION;

	private static final String RANGES = HISTORY + "_ranges";

	private static final long ROWS = 1_000_000;

	private static final int FIRST_KILL_AT_PERCENT = 25;

	private static final int SECOND_KILL_AT_PERCENT = 60;

	/**
	 * A pause between the batches of each worker, so that a dozen workers leave time for a JVM to start
	 * and join between the kills even on a fast machine: at most 20 batches of 1,000 rows a second in all,
	 * at least half a minute from the first kill to the end (a JVM started in up to 15 s on a loaded machine).
	 */
	private static final String PAUSE = "600ms";

	/** Short range leases, so that a killed instance's ranges are taken over within seconds. */
	private static final String LEASE = "3s";

	/** Four workers, the queue's lock and the instance's own work, each on a connection. */
	private static final int POOL_SIZE = 8;

	private static final Duration BOUND = Duration.ofMinutes(4);

	private static final Duration SESSIONS_BOUND = Duration.ofSeconds(60);

	private final List<String> users = new ArrayList<>();

	@AfterEach
	void dropUsers() {
		for (String user : this.users) {
			this.jdbc.execute("drop user if exists '" + user + "'@'%'");
		}
		this.users.clear();
	}

	@ParameterizedTest
	@EnumSource(names = { "POSTGRESQL", "MARIADB" })
	void threeInstancesWalkInParallelTwoAreKilledAndEveryRowIsCountedExactlyOnce(Kind kind) throws Exception {
		long testStart = System.nanoTime();
		useDatabase(kind);
		seed();
		List<String> figures = new ArrayList<>();
		figure(figures, kind, String.format("seeded %,d rows in %.1f s", ROWS, seconds(testStart)));

		Map<String, ChildJvm> instances = new LinkedHashMap<>();
		for (String label : List.of("a", "b", "c")) {
			instances.put(label, startInstance(label));
		}
		long walkStart = System.nanoTime();

		// first kill: the queue's runner, once all three instances work ranges
		long firstThreshold = ROWS * FIRST_KILL_AT_PERCENT / 100;
		Snapshot beforeFirst = awaitWalk("the three instances on ranges, the queue's runner on one, " + firstThreshold
				+ " records processed", instances, (walk) -> walk.processed() >= firstThreshold
						&& walk.workedBy().containsAll(pids(instances.values()))
						&& walk.running(walk.runner()) > 0);
		String first = labelOf(instances, beforeFirst.runner());
		figure(figures, kind, String.format("killing %s, the queue's runner, %.1f s into the walk at %.1f%% (%s)",
				first, seconds(walkStart), percent(beforeFirst), beforeFirst.describe(instances)));
		kill(instances, first);
		assertCheckpointedRowsCountedOnce("after " + first + " was killed");

		// a restarted instance joins; second kill: an instance that only joined, while the restarted one works
		instances.put("d", startInstance("d"));
		long restarted = instances.get("d").pid();
		long secondThreshold = ROWS * SECOND_KILL_AT_PERCENT / 100;
		Snapshot beforeSecond = awaitWalk("the queue taken over, d on a range, a joined instance on a range, "
				+ secondThreshold + " records processed", alive(instances),
				(walk) -> walk.processed() >= secondThreshold && isAlive(instances, walk.runner())
						&& walk.workedBy().contains(restarted) && joined(instances, walk).isPresent());
		String second = joined(instances, beforeSecond).orElseThrow();
		String runner = labelOf(instances, beforeSecond.runner());
		figure(figures, kind, String.format("killing %s, which had joined, %.1f s into the walk at %.1f%% (%s)",
				second, seconds(walkStart), percent(beforeSecond), beforeSecond.describe(instances)));
		kill(instances, second);
		assertCheckpointedRowsCountedOnce("after " + second + " was killed");

		// the queue's new runner and the restarted instance finish
		awaitWalk("the migration SUCCEEDED", alive(instances), Snapshot::succeeded);
		figure(figures, kind, String.format("SUCCEEDED %.1f s into the walk, %.1f s in all", seconds(walkStart),
				seconds(testStart)));
		for (String label : List.of(runner, "d")) {
			assertThat(instances.get(label).isAlive()).as(label + " is still running: " + instances.get(label).tail())
				.isTrue();
		}
		// nothing may change the table once it is read: stop the survivors as well
		for (String label : List.of(runner, "d")) {
			kill(instances, label);
		}

		Map<String, Object> row = historyRow(VERSION).orElseThrow();
		List<Range> ranges = ranges();
		figure(figures, kind, String.format("%d ranges; history attempts %d, executed_by %s; ranges by instance %s",
				ranges.size(), number(row, "attempts"), row.get("executed_by"),
				new Snapshot(row, ranges).describe(instances)));
		System.out.println("[parallel kill] " + kind + " summary:\n  " + String.join("\n  ", figures));

		assertThat(status(row)).isEqualTo("SUCCEEDED");
		assertThat(number(row, "records_processed")).isEqualTo(ROWS);
		assertThat((String) row.get("executed_by")).as("the instance that took the queue over finished it")
			.endsWith(":" + instances.get(runner).pid());
		assertThat(number(row, "attempts")).as("the killed runner's attempt and the one that took over")
			.isGreaterThanOrEqualTo(2);
		assertThat(row.get("owner_token")).isNull();

		assertThat(ranges).as("about four ranges per worker")
			.hasSizeGreaterThanOrEqualTo(CountItemsOnceInParallel.WORKERS);
		assertThat(ranges.get(0).after()).as("the first range has no lower bound").isNull();
		assertThat(ranges.get(ranges.size() - 1).last()).as("the last range ends at the largest key").isEqualTo(ROWS);
		for (int i = 1; i < ranges.size(); i++) {
			assertThat(ranges.get(i).after()).as("range %d starts where range %d ends", ranges.get(i).number(),
					ranges.get(i - 1).number())
				.isEqualTo(ranges.get(i - 1).last());
		}
		for (Range range : ranges) {
			assertThat(range.status()).as("status of " + range).isEqualTo("DONE");
			assertThat(range.checkpointText()).as("checkpoint of " + range).isEqualTo(range.lastText());
			assertThat(range.processed()).as("records of " + range + ": its keys, ids being 1..N")
				.isEqualTo(range.last() - ((range.after() != null) ? range.after() : 0));
		}
		assertThat(ranges.stream().mapToLong(Range::processed).sum()).isEqualTo(ROWS);
		assertThat(ranges.stream().map(Range::executedBy).collect(Collectors.toSet()))
			.as("more than one instance did the ranges' work")
			.hasSizeGreaterThan(1);

		// the effect, exactly once: every row counted once, none missed, none twice
		Map<Integer, Long> counters = new TreeMap<>();
		for (Map<String, Object> group : this.jdbc.queryForList("select n, count(*) as c from items group by n")) {
			counters.put(((Number) value(group, "n")).intValue(), ((Number) value(group, "c")).longValue());
		}
		assertThat(counters).containsExactlyEntriesOf(Map.of(1, ROWS));
	}

	private void seed() {
		this.jdbc.execute("create table items (id bigint not null, n integer not null)");
		if (this.database.kind() == Kind.POSTGRESQL) {
			this.jdbc.update("insert into items (id, n) select g, 0 from generate_series(1, ?) g", ROWS);
		}
		else {
			this.jdbc.update("insert into items (id, n) select seq, 0 from seq_1_to_" + ROWS);
		}
		this.jdbc.execute("alter table items add primary key (id)");
		this.jdbc.execute("analyze " + (this.database.kind() == Kind.POSTGRESQL ? "" : "table ") + "items");
	}

	private ChildJvm startInstance(String label) throws Exception {
		// no web server here keeps the JVM alive while the background run and the joining workers go on
		List<String> arguments = new ArrayList<>(List.of("--spring.main.keep-alive=true",
				"--data-migrate.on-startup=background",
				"--data-migrate.batch.pause=" + PAUSE, "--data-migrate.lock.lease-duration=" + LEASE,
				"--spring.datasource.hikari.maximum-pool-size=" + POOL_SIZE));
		String session = session(label);
		if (this.database.kind() == Kind.POSTGRESQL) {
			arguments.add("--spring.datasource.hikari.data-source-properties.ApplicationName=" + session);
		}
		else {
			this.jdbc.execute("create user '" + session + "'@'%'");
			this.users.add(session);
			this.jdbc.execute("grant all privileges on " + this.database.name() + ".* to '" + session + "'@'%'");
			arguments.add("--spring.datasource.username=" + session);
			arguments.add("--spring.datasource.password=");
		}
		return start("parallel-" + label, ParallelMillionRowBackfill.class, arguments.toArray(String[]::new));
	}

	/** The application name (PostgreSQL) or user (MariaDB) of an instance's sessions. */
	private String session(String label) {
		return this.database.name() + "_" + label;
	}

	private long sessions(String label) {
		String sql = (this.database.kind() == Kind.POSTGRESQL)
				? "select count(*) from pg_stat_activity where application_name = ?"
				: "select count(*) from information_schema.processlist where user = ?";
		Long count = this.jdbc.queryForObject(sql, Long.class, session(label));
		return (count != null) ? count : 0;
	}

	/**
	 * Kill an instance with SIGKILL and wait until the database has closed every session of it, so that a
	 * commit it had sent can no longer land.
	 */
	private void kill(Map<String, ChildJvm> instances, String label) throws InterruptedException {
		ChildJvm instance = instances.get(label);
		assertThat(sessions(label)).as("the sessions of " + label + " are known by their name").isPositive();
		instance.kill();
		assertThat(instance.awaitExit(Duration.ofSeconds(5))).as(label + " died of SIGKILL").isEqualTo(128 + 9);
		ChildJvm.await("the sessions of " + label + " to end", SESSIONS_BOUND, () -> sessions(label) == 0);
	}

	/**
	 * Wait until the walk is in a state, failing at once when the migration failed, when it ended before
	 * that state, or when an instance that should run exited.
	 */
	private Snapshot awaitWalk(String what, Map<String, ChildJvm> running, Predicate<Snapshot> condition) {
		AtomicReference<Snapshot> last = new AtomicReference<>();
		ChildJvm[] children = running.values().toArray(ChildJvm[]::new);
		try {
			awaitWalk(what, children, condition, last);
		}
		catch (AssertionError ex) {
			throw new AssertionError(ex.getMessage() + "\nlast read: " + last.get(), ex);
		}
		return last.get();
	}

	private void awaitWalk(String what, ChildJvm[] children, Predicate<Snapshot> condition,
			AtomicReference<Snapshot> last) {
		ChildJvm.await(what, BOUND, () -> {
			Snapshot walk = snapshot();
			last.set(walk);
			for (ChildJvm child : children) {
				assertThat(child.isAlive()).as(child + " exited while waiting for " + what + "\n" + child.tail())
					.isTrue();
			}
			if (walk.history() != null) {
				assertThat(status(walk.history())).as("while waiting for " + what).isNotEqualTo("FAILED");
			}
			if (condition.test(walk)) {
				return true;
			}
			assertThat(walk.succeeded()).as("the walk ended before " + what).isFalse();
			return false;
		}, children);
	}

	private Snapshot snapshot() {
		Map<String, Object> row = historyRow(VERSION).orElse(null);
		return new Snapshot(row, (row != null) ? ranges() : List.of());
	}

	private List<Range> ranges() {
		if (!tables().contains(RANGES)) {
			return List.of();
		}
		return this.jdbc.queryForList("select * from " + RANGES + " where version = ? order by range_number", VERSION)
			.stream()
			.map(Range::of)
			.toList();
	}

	/**
	 * Read every range's checkpoint, then the table: rows up to a checkpoint were committed with it, and no
	 * row is ever counted twice, whatever the instances still running are doing.
	 */
	private void assertCheckpointedRowsCountedOnce(String when) {
		List<Range> ranges = ranges();
		Map<Integer, Long> notOnce = new TreeMap<>();
		for (Range range : ranges) {
			if (range.checkpoint() != null) {
				Long count = this.jdbc.queryForObject(
						"select count(*) from items where id > ? and id <= ? and n <> 1", Long.class,
						(range.after() != null) ? range.after() : Long.MIN_VALUE, range.checkpoint());
				if (count != null && count > 0) {
					notOnce.put(range.number(), count);
				}
			}
		}
		assertThat(notOnce).as(when + ": rows up to their range's checkpoint not counted once, by range; "
				+ ranges).isEmpty();
		assertThat(this.jdbc.queryForObject("select count(*) from items where n > 1", Long.class))
			.as(when + ": rows counted twice")
			.isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from items where n = 1", Long.class))
			.as(when + ": rows counted, at least the records the ranges had committed")
			.isGreaterThanOrEqualTo(ranges.stream().mapToLong(Range::processed).sum());
	}

	/** An instance, not the queue's runner and not the restarted one, that is working a range. */
	private static Optional<String> joined(Map<String, ChildJvm> instances, Snapshot walk) {
		return instances.entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().equals("d") && entry.getValue().isAlive())
			.filter((entry) -> entry.getValue().pid() != walk.runner() && walk.running(entry.getValue().pid()) > 0)
			.map(Map.Entry::getKey)
			.findFirst();
	}

	private static String labelOf(Map<String, ChildJvm> instances, long pid) {
		return instances.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().pid() == pid)
			.map(Map.Entry::getKey)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no instance has pid " + pid));
	}

	private static boolean isAlive(Map<String, ChildJvm> instances, long pid) {
		return instances.values().stream().anyMatch((child) -> child.pid() == pid && child.isAlive());
	}

	private static Map<String, ChildJvm> alive(Map<String, ChildJvm> instances) {
		Map<String, ChildJvm> alive = new LinkedHashMap<>(instances);
		alive.values().removeIf((child) -> !child.isAlive());
		return alive;
	}

	private static Set<Long> pids(Iterable<ChildJvm> children) {
		Set<Long> pids = new TreeSet<>();
		children.forEach((child) -> pids.add(child.pid()));
		return pids;
	}

	private static double percent(Snapshot walk) {
		return 100.0 * walk.processed() / ROWS;
	}

	/** Print a measured figure at once (so a failed run shows its figures too) and keep it for the summary. */
	private static void figure(List<String> figures, Kind kind, String figure) {
		System.out.println("[parallel kill] " + kind + ": " + figure);
		figures.add(figure);
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private static @Nullable Object value(Map<String, Object> row, String column) {
		for (Map.Entry<String, Object> entry : row.entrySet()) {
			if (entry.getKey().equalsIgnoreCase(column)) {
				return entry.getValue();
			}
		}
		return null;
	}

	private static long pid(@Nullable String executedBy) {
		return (executedBy != null) ? Long.parseLong(executedBy.substring(executedBy.lastIndexOf(':') + 1)) : -1;
	}

	/**
	 * The history row and the ranges, as read at one moment.
	 *
	 * @param history the history row, {@code null} before there is one
	 * @param ranges the ranges, by number
	 */
	private record Snapshot(@Nullable Map<String, Object> history, List<Range> ranges) {

		long processed() {
			return this.ranges.stream().mapToLong(Range::processed).sum();
		}

		boolean succeeded() {
			return this.history != null && "SUCCEEDED".equals(status(this.history));
		}

		/** The pid of the instance running the migration, as the history says; -1 when none. */
		long runner() {
			return (this.history != null && "RUNNING".equals(status(this.history)))
					? pid((String) this.history.get("executed_by")) : -1;
		}

		/** The instances that have claimed a range. */
		Set<Long> workedBy() {
			return this.ranges.stream()
				.filter((range) -> !"WAITING".equals(range.status()))
				.map((range) -> pid(range.executedBy()))
				.collect(Collectors.toSet());
		}

		long running(long pid) {
			return this.ranges.stream()
				.filter((range) -> "RUNNING".equals(range.status()) && pid(range.executedBy()) == pid)
				.count();
		}

		/** Ranges by instance and status, and the history's runner. */
		String describe(Map<String, ChildJvm> instances) {
			Map<String, Map<String, Long>> byInstance = new TreeMap<>();
			for (Range range : this.ranges) {
				long pid = pid(range.executedBy());
				String instance = instances.entrySet()
					.stream()
					.filter((entry) -> entry.getValue().pid() == pid)
					.map(Map.Entry::getKey)
					.findFirst()
					.orElse(String.valueOf(range.executedBy()));
				byInstance.computeIfAbsent(instance, (key) -> new TreeMap<>()).merge(range.status(), 1L, Long::sum);
			}
			return "ranges " + byInstance + ", runner pid " + runner();
		}

	}

	/**
	 * A row of the ranges table.
	 *
	 * @param number the range's number
	 * @param after the key the range starts after, {@code null} for the first
	 * @param last the range's last key
	 * @param checkpoint the last key done, {@code null} when none
	 * @param processed records processed
	 * @param status the range's status
	 * @param executedBy the instance that claimed it last
	 * @param checkpointText the checkpoint as stored
	 * @param lastText the last key as stored
	 */
	private record Range(int number, @Nullable Long after, long last, @Nullable Long checkpoint, long processed,
			String status, @Nullable String executedBy, @Nullable String checkpointText, String lastText) {

		static Range of(Map<String, Object> row) {
			String after = (String) value(row, "after_key");
			String last = (String) value(row, "last_key");
			String checkpoint = (String) value(row, "checkpoint");
			Number processed = (Number) value(row, "records_processed");
			return new Range(((Number) value(row, "range_number")).intValue(),
					(after != null) ? Long.parseLong(after) : null, Long.parseLong(last),
					(checkpoint != null) ? Long.parseLong(checkpoint) : null,
					(processed != null) ? processed.longValue() : 0, (String) value(row, "status"),
					(String) value(row, "executed_by"), checkpoint, last);
		}

		@Override
		public String toString() {
			return "range " + this.number + " (" + this.after + ", " + this.last + "] " + this.status + " at "
					+ this.checkpoint + ", " + this.processed + " records, by " + this.executedBy;
		}

	}

}
