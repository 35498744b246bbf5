package dev.datamigrate.process;

import java.time.Duration;
import java.util.Map;
import java.util.stream.LongStream;

import dev.datamigrate.process.ChildMigrations.SlowBackfill;
import dev.datamigrate.testsupport.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM killed with SIGKILL while a migration runs: another instance, already waiting, gets the lock
 * within seconds, and its run completes the interrupted migration exactly once, from the last batch
 * the killed one committed.
 */
class KilledInstanceTakeoverProcessTests extends ChildJvmTestSupport {

	private static final String VERSION = "2026.03.05.1";

	private static final int ITEMS = 2_000;

	private static final int BATCH_SIZE = 50;

	private static final int BATCHES = ITEMS / BATCH_SIZE;

	/** How soon after the kill the waiting instance must have the lock: "within seconds". */
	private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(10);

	@ParameterizedTest
	@EnumSource(names = { "POSTGRESQL", "MARIADB" })
	void anotherInstanceTakesOverAndCompletesTheKilledInstancesMigrationExactlyOnce(Kind kind) throws Exception {
		useDatabase(kind);
		seedItems();

		// A: a service instance whose startup runs a throttled backfill of 40 batches (about 16 s)
		ChildJvm a = start("takeover-A", SlowBackfill.class, "--data-migrate.on-startup=run",
				"--data-migrate.batch.size=" + BATCH_SIZE, "--data-migrate.batch.pause=400ms");
		ChildJvm.await("A to commit 3 batches", Duration.ofSeconds(60),
				() -> historyRow(VERSION).filter((row) -> "RUNNING".equals(status(row)))
					.filter((row) -> number(row, "batches_done") >= 3)
					.isPresent(),
				a);
		assertThat((String) historyRow(VERSION).orElseThrow().get("executed_by")).endsWith(":" + a.pid());

		// B: a second instance of the same release, unthrottled, waiting for the lock
		ChildJvm b = start("takeover-B", SlowBackfill.class, "--data-migrate.on-startup=run",
				"--data-migrate.batch.size=" + BATCH_SIZE, "--data-migrate.lock.wait-timeout=2m");
		b.awaitLine(ChildApp.LOCK_WAITING, Duration.ofSeconds(60));
		long waitingFrom = number(historyRow(VERSION).orElseThrow(), "batches_done");
		ChildJvm.await("A to commit 2 more batches while B waits", Duration.ofSeconds(30),
				() -> number(historyRow(VERSION).orElseThrow(), "batches_done") >= waitingFrom + 2, a, b);

		Map<String, Object> beforeKill = historyRow(VERSION).orElseThrow();
		assertThat(b.stdout()).as("B waits while A holds the lock").doesNotContain(ChildApp.LOCK_ACQUIRED);
		assertThat(status(beforeKill)).isEqualTo("RUNNING");
		assertThat(number(beforeKill, "batches_done")).as("A must still be mid-way when killed, " + a.tail())
			.isLessThan(BATCHES - 3);
		assertThat(a.isAlive()).isTrue();

		long killedAt = System.currentTimeMillis();
		a.kill();
		assertThat(a.awaitExit(Duration.ofSeconds(5))).as("A died of SIGKILL").isEqualTo(128 + 9);

		String acquired = b.awaitLine(ChildApp.LOCK_ACQUIRED, TAKEOVER_BOUND.plusSeconds(20));
		long acquiredAt = epochMillis(acquired, ChildApp.LOCK_ACQUIRED);
		int code = b.awaitExit(Duration.ofSeconds(60));
		long finishedAt = System.currentTimeMillis();

		Map<String, Object> row = historyRow(VERSION).orElseThrow();
		String resumed = b.awaitLine("data_migration_resumed", Duration.ofSeconds(1));
		long resumedFrom = Long.parseLong(resumed.replaceAll(".*checkpoint=\"?(\\d+)\"?.*", "$1"));
		System.out.printf("[takeover] %s: A (pid %d) killed after committing %d of %d batches (checkpoint %d); "
				+ "B (pid %d) took the lock %.2f s after SIGKILL and finished %.2f s after it (exit %d)%n", kind,
				a.pid(), resumedFrom / BATCH_SIZE, BATCHES, resumedFrom, b.pid(), (acquiredAt - killedAt) / 1000.0,
				(finishedAt - killedAt) / 1000.0, code);

		assertThat(code).as(b.tail()).isZero();
		assertThat(acquiredAt).as("B got the lock only after A was killed").isGreaterThanOrEqualTo(killedAt);
		assertThat(acquiredAt - killedAt).as("B got the lock within " + TAKEOVER_BOUND + " of the kill")
			.isLessThanOrEqualTo(TAKEOVER_BOUND.toMillis());

		assertThat(status(row)).isEqualTo("SUCCEEDED");
		assertThat(number(row, "attempts")).as("A's interrupted attempt and B's").isGreaterThanOrEqualTo(2);
		assertThat((String) row.get("executed_by")).endsWith(":" + b.pid());
		assertThat(number(row, "records_processed")).isEqualTo(ITEMS);
		assertThat(number(row, "batches_done")).isEqualTo(BATCHES);
		assertThat(row.get("checkpoint")).isEqualTo(String.valueOf(ITEMS));
		assertThat(resumedFrom).as("B resumed from A's last committed batch, not from the start")
			.isGreaterThanOrEqualTo(Long.parseLong((String) beforeKill.get("checkpoint")));

		// the effect, exactly once: every item counted once, none missed, none twice
		assertThat(this.jdbc.queryForObject("select count(*) from items", Long.class)).isEqualTo(ITEMS);
		assertThat(this.jdbc.queryForObject("select count(*) from items where counter <> 1", Long.class))
			.as("items counted other than once").isZero();
	}

	private void seedItems() {
		this.jdbc.execute("create table items (id bigint not null primary key, counter integer not null)");
		this.jdbc.batchUpdate("insert into items (id, counter) values (?, 0)",
				LongStream.rangeClosed(1, ITEMS).mapToObj((id) -> new Object[] { id }).toList());
	}

}
