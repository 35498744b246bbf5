package dev.datamigrate.batch;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.datamigrate.database.Database;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.history.HistoryRecord;
import dev.datamigrate.history.MigrationHistory;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The session holding the lock is terminated mid-run while a second instance waits: the second takes
 * over and finishes, the first commits no further batch and, running in the background, tries again once
 * the second is done; every row changes exactly once, whether a handler or {@code update(sql)} does the
 * batches.
 */
class LockTakeoverTests {

	private static final int ROWS = 5_000;

	@ParameterizedTest(name = "by statement: {0}")
	@ValueSource(booleans = { false, true })
	void terminatedLockSessionHandsTheRunToTheWaitingInstance(boolean byStatement) throws Exception {
		TestDatabase.Kind kind = TestDatabase.Kind.POSTGRESQL;
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, kind, ROWS);
			Items.instance(database, "A", byStatement).withPropertyValues("data-migrate.on-startup=skip").run((a) -> {
				DataMigrations onA = a.getBean(DataMigrations.class);
				CompletableFuture<RunResult> runOnA = onA.runPendingInBackground("test");
				await().atMost(Duration.ofSeconds(30)).until(() -> onA.status().find("1").orElseThrow().batchesDone() >= 5);
				Integer lockHolder = lockHolder(jdbc, database);

				CompletableFuture<Throwable> startOfB = new CompletableFuture<>();
				Thread b = new Thread(() -> Items.instance(database, "B", byStatement)
					.run((context) -> startOfB.complete(context.getStartupFailure())));
				b.start();
				Thread.sleep(500);
				assertThat(startOfB).as("B waits for the lock").isNotDone();

				assertThat(jdbc.queryForObject("select pg_terminate_backend(?)", Boolean.class, lockHolder)).isTrue();
				assertThat(startOfB.get(60, TimeUnit.SECONDS)).as("B started").isNull();
				assertThat(runOnA.get(10, TimeUnit.SECONDS).outcome())
					.as("A, interrupted, ran again in the background once B was done, and found nothing left")
					.isEqualTo(RunResult.Outcome.COMPLETED);
				b.join();
			});
			HistoryRecord done = new MigrationHistory(dataSource, Database.of(dataSource), "data_migrations").find("1").orElseThrow();
			assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
			assertThat(done.recordsProcessed()).isEqualTo(ROWS);
			assertThat(done.attempts()).isEqualTo(2);
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, ROWS));
			assertThat(Items.maxIdChangedBy(jdbc, "A")).as("A's batches all come before B's")
				.isEqualTo(Items.minIdChangedBy(jdbc, "B") - 1);
		}
	}

	private static Integer lockHolder(JdbcTemplate jdbc, TestDatabase database) {
		int key = ("test." + database.name() + ".data_migrations").hashCode();
		return jdbc.queryForObject("select pid from pg_locks where locktype = 'advisory' and classid = 1145915719 "
				+ "and objid::text = ? and objsubid = 2 and granted", Integer.class,
				Long.toString(Integer.toUnsignedLong(key)));
	}

}
