package dev.datamigrate.batch;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backfill paused on one instance and resumed on another continues from its checkpoint, whether a
 * handler or {@code update(sql)} does its batches.
 */
class PauseResumeTests {

	private static final int ROWS = 5_000;

	@ParameterizedTest(name = "{0}, by statement: {1}")
	@MethodSource("databasesAndWalks")
	void pausedOnOneInstanceResumedOnAnotherContinuesFromTheCheckpoint(TestDatabase.Kind kind, boolean byStatement)
			throws Exception {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, kind, ROWS);
			Items.instance(database, "A", byStatement).withPropertyValues("data-migrate.on-startup=skip").run((a) -> {
				DataMigrations onA = a.getBean(DataMigrations.class);
				CompletableFuture<RunResult> runOnA = onA.runPendingInBackground("test");
				await().atMost(Duration.ofSeconds(30)).until(() -> onA.status().find("1").orElseThrow().batchesDone() >= 5);

				Items.instance(database, "B", byStatement).withPropertyValues("data-migrate.on-startup=skip").run((b) -> {
					DataMigrations onB = b.getBean(DataMigrations.class);
					assertThat(onB.pause("1").status()).isEqualTo(MigrationStatus.PAUSED);
					assertThat(runOnA.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(RunResult.Outcome.STOPPED);
					MigrationInfo paused = onB.status().find("1").orElseThrow();
					assertThat(paused.status()).isEqualTo(MigrationStatus.PAUSED);
					assertThat(paused.recordsProcessed()).isBetween(500L, ROWS - 100L);
					assertThat(Long.parseLong(paused.checkpoint())).isEqualTo(Items.maxIdChangedBy(jdbc, "A"))
						.isEqualTo(paused.recordsProcessed());
					assertThat(onB.runPending().outcome()).as("a paused migration holds the queue")
						.isEqualTo(RunResult.Outcome.HALTED);

					assertThat(onB.resume("1").status()).isEqualTo(MigrationStatus.PENDING);
					assertThat(onB.runPending().applied()).containsExactly("1");
					MigrationInfo done = onB.status().find("1").orElseThrow();
					assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
					assertThat(done.recordsProcessed()).isEqualTo(ROWS);
					assertThat(done.recordsTotal()).isEqualTo(ROWS);
					assertThat(done.batchesDone()).isEqualTo(ROWS / 100);
					assertThat(done.attempts()).isEqualTo(2);
					assertThat(Items.minIdChangedBy(jdbc, "B")).isEqualTo(Long.parseLong(paused.checkpoint()) + 1);
					assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, ROWS));
				});
			});
		}
	}

	/**
	 * Every kind of database, each with a handler and with {@code update(sql)}.
	 * @return the arguments
	 */
	public static Stream<Arguments> databasesAndWalks() {
		return Arrays.stream(TestDatabase.Kind.values())
			.flatMap((kind) -> Stream.of(Arguments.of(kind, false), Arguments.of(kind, true)));
	}

}
