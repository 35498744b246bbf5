package dev.datamigrate.traffic;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real deadlock between a batch and an application transaction: the application locks a row ahead of
 * the batch, the batch changes half its rows and then needs that row, and the application then needs a
 * row the batch holds. The database rolls the batch back as the deadlock's victim; the batch is tried
 * again, and every row is changed once.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeadlockTests {

	private static final int ROWS = 1_000;

	/** The third batch of 100: ids 201 to 300. */
	private static final long DEADLOCKED_BATCH = 3;

	/** A row the batch holds once it has changed its first half. */
	private static final long HELD_BY_BATCH = 220;

	/** A row ahead of the batch's first half, locked by the application first. */
	private static final long AHEAD = 280;

	static volatile CountDownLatch firstHalfChanged;

	/** The migration as the run left it. */
	static volatile MigrationInfo result;

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void aBatchChosenAsTheVictimOfADeadlockIsTriedAgain(TestDatabase.Kind kind, CapturedOutput output)
			throws Exception {
		firstHalfChanged = new CountDownLatch(1);
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, kind, ROWS);
			jdbc.execute("create table audit (id integer primary key)");
			try (Connection application = database.connect()) {
				application.setAutoCommit(false);
				try (Statement statement = application.createStatement()) {
					// more changes than the batch's half, so that MariaDB, which rolls back the transaction of
					// least weight, chooses the batch as PostgreSQL does (the first to wait)
					for (int row = 1; row <= 500; row++) {
						statement.addBatch("insert into audit (id) values (" + row + ")");
					}
					statement.executeBatch();
					statement.executeQuery("select id from items where id = " + AHEAD + " for update").close();
				}
				Thread migration = new Thread(() -> runMigration(database), "migration");
				migration.start();
				assertThat(firstHalfChanged.await(30, TimeUnit.SECONDS)).as("the batch changed its first half").isTrue();
				awaitLockWait(jdbc, kind);
				try (Statement statement = application.createStatement()) {
					statement.executeUpdate("update items set changed_by = 'application' where id = " + HELD_BY_BATCH);
				}
				application.commit();
				migration.join(Duration.ofSeconds(60).toMillis());
				assertThat(migration.isAlive()).as("the migration ended").isFalse();
			}
			assertThat(result).as(String.valueOf(result)).isNotNull();
			assertThat(result.status()).as(result.error()).isEqualTo(MigrationStatus.SUCCEEDED);
			assertThat(output.getOut().lines().filter((line) -> line.contains("data_migration_batch_retry")))
				.as("the deadlocked batch, tried again")
				.singleElement()
				.satisfies((line) -> assertThat(line).containsIgnoringCase("deadlock")
					.contains("batch_processed=" + DEADLOCKED_BATCH)
					.contains("attempt=1"));
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, ROWS));
			assertThat(jdbc.queryForObject("select changed_by from items where id = ?", String.class, HELD_BY_BATCH))
				.as("the application's change, committed once the batch let go").isEqualTo("application");
		}
	}

	private static void runMigration(TestDatabase database) {
		result = null;
		MigrationContexts.jdbc(database)
			.withUserConfiguration(HalvedBackfill.class)
			.withPropertyValues("data-migrate.on-startup=skip", "data-migrate.batch.size=100",
					"data-migrate.batch.lock-timeout=10s")
			.run((context) -> {
				DataMigrations migrations = context.getBean(DataMigrations.class);
				migrations.runPending();
				result = migrations.status().find("1").orElseThrow();
			});
	}

	/**
	 * Wait until the batch waits for the row the application holds.
	 */
	private static void awaitLockWait(JdbcTemplate jdbc, TestDatabase.Kind kind) throws InterruptedException {
		String waiting = (kind == TestDatabase.Kind.POSTGRESQL)
				? "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'"
				: "select count(*) from information_schema.innodb_trx where trx_state = 'LOCK WAIT'";
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (jdbc.queryForObject(waiting, Integer.class) == 0) {
			assertThat(System.nanoTime() - deadline).as("the batch waits for row " + AHEAD).isNegative();
			Thread.sleep(LockContentionTests.POLL_MILLIS);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(HalvedBackfill.Migration.class)
	static class HalvedBackfill {

		/**
		 * Changes each batch's rows in two halves; the first attempt of the deadlocked batch says when its
		 * first half is changed.
		 */
		@DataMigration(version = "1", transactional = false)
		static class Migration implements DataMigrationTask {

			private final JdbcTemplate jdbc;

			Migration(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			@Override
			public void migrate(DataMigrationContext context) {
				context.batches("items").run((batch) -> {
					long middle = batch.first() + 49;
					int changed = this.jdbc.update("update items set changes = changes + 1 where id between ? and ?",
							batch.first(), middle);
					if (batch.number() == DEADLOCKED_BATCH) {
						firstHalfChanged.countDown();
					}
					return changed + this.jdbc.update("update items set changes = changes + 1 where id between ? and ?",
							middle + 1, batch.last());
				});
			}

		}

	}

}
