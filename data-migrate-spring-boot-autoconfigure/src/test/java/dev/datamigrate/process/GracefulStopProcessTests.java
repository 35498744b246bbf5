package dev.datamigrate.process;

import java.time.Duration;
import java.util.Map;
import java.util.stream.LongStream;

import dev.datamigrate.process.ChildMigrations.SlowBackfill;
import dev.datamigrate.testsupport.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM while a {@code run}-mode startup backfills, as when Kubernetes stops a pod: the instance
 * stops after its current batch instead of finishing the backfill first, the run is left interrupted
 * (not failed), and the next start resumes it.
 */
class GracefulStopProcessTests extends ChildJvmTestSupport {

	private static final String VERSION = "2026.03.05.1";

	private static final int ITEMS = 2_000;

	private static final int BATCH_SIZE = 50;

	@Test
	void sigtermDuringAStartupBackfillStopsAfterTheCurrentBatch() throws Exception {
		useDatabase(Kind.POSTGRESQL);
		this.jdbc.execute("create table items (id bigint not null primary key, counter integer not null)");
		this.jdbc.batchUpdate("insert into items (id, counter) values (?, 0)",
				LongStream.rangeClosed(1, ITEMS).mapToObj((id) -> new Object[] { id }).toList());

		// 40 batches with 400 ms between them: about 16 s if the backfill ignored the signal
		ChildJvm instance = start("sigterm", SlowBackfill.class, "--data-migrate.on-startup=run",
				"--data-migrate.batch.size=" + BATCH_SIZE, "--data-migrate.batch.pause=400ms");
		ChildJvm.await("3 committed batches", Duration.ofSeconds(60),
				() -> historyRow(VERSION).filter((row) -> number(row, "batches_done") >= 3).isPresent(), instance);
		instance.terminate();
		int code = instance.awaitExit(Duration.ofSeconds(8));

		Map<String, Object> interrupted = historyRow(VERSION).orElseThrow();
		long checkpoint = Long.parseLong((String) interrupted.get("checkpoint"));
		System.out.printf("[sigterm] exit %d, stopped at checkpoint %d of %d%n", code, checkpoint, ITEMS);
		assertThat(code).as("exit on SIGTERM, " + instance.tail()).isEqualTo(128 + 15);
		assertThat(status(interrupted)).as("an interrupted run, not a failure").isEqualTo("RUNNING");
		assertThat(interrupted.get("error")).isNull();
		assertThat(checkpoint).isLessThan(ITEMS - 10L * BATCH_SIZE);
		assertThat(this.jdbc.queryForObject("select count(*) from items where counter <> (case when id <= ? then 1 else 0 end)",
				Long.class, checkpoint)).as("items up to the checkpoint counted once, the others not yet").isZero();

		Exited next = runToEnd("sigterm-next", SlowBackfill.class, "--data-migrate.on-startup=run-and-exit",
				"--data-migrate.batch.size=" + BATCH_SIZE);
		assertThat(next.code()).isZero();
		Map<String, Object> done = historyRow(VERSION).orElseThrow();
		assertThat(status(done)).isEqualTo("SUCCEEDED");
		assertThat(number(done, "attempts")).isEqualTo(2);
		assertThat(this.jdbc.queryForObject("select count(*) from items where counter <> 1", Long.class)).isZero();
	}

}
