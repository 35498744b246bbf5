package dev.datamigrate.batch;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import dev.datamigrate.database.Database;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.history.HistoryRecord;
import dev.datamigrate.history.MigrationHistory;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application shutting down stops its backfill after the current batch; the interrupted run is not
 * a failure and the next start resumes it.
 */
class ShutdownTests {

	private static final int ROWS = 5_000;

	@Test
	void shutdownStopsAfterTheCurrentBatchAndTheNextStartResumes() {
		TestDatabase.Kind kind = TestDatabase.Kind.POSTGRESQL;
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, kind, ROWS);
			MigrationHistory history = new MigrationHistory(dataSource, Database.of(dataSource), "data_migrations");
			AtomicReference<CompletableFuture<RunResult>> run = new AtomicReference<>();
			MigrationContexts.jdbc(database)
				.withUserConfiguration(Items.class)
				.withPropertyValues("data-migrate.on-startup=skip", "data-migrate.batch.size=100",
						"data-migrate.batch.pause=20ms")
				.run((context) -> {
					DataMigrations migrations = context.getBean(DataMigrations.class);
					run.set(migrations.runPendingInBackground("test"));
					await().atMost(Duration.ofSeconds(30))
						.until(() -> migrations.status().find("1").orElseThrow().batchesDone() >= 5);
				});
			assertThat(run.get()).as("the context's close waited for the run to stop").isDone();
			assertThat(run.get().join().outcome()).isEqualTo(RunResult.Outcome.STOPPED);
			HistoryRecord interrupted = history.find("1").orElseThrow();
			assertThat(interrupted.status()).isEqualTo(MigrationStatus.RUNNING);
			assertThat(interrupted.error()).isNull();
			assertThat(interrupted.recordsProcessed()).isLessThan(ROWS);
			assertThat(Long.parseLong(interrupted.checkpoint())).isEqualTo(Items.maxIdChangedBy(jdbc, "main"));

			MigrationContexts.jdbc(database).withUserConfiguration(Items.class).run((context) -> {
				assertThat(context).hasNotFailed();
			});
			HistoryRecord resumed = history.find("1").orElseThrow();
			assertThat(resumed.status()).isEqualTo(MigrationStatus.SUCCEEDED);
			assertThat(resumed.attempts()).isEqualTo(2);
			assertThat(resumed.recordsProcessed()).isEqualTo(ROWS);
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, ROWS));
		}
	}

}
