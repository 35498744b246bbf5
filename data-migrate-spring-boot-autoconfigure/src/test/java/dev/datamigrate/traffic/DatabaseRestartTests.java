package dev.datamigrate.traffic;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.DataMigrations.DataMigrationsStatus;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.lock.MigrationLock;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.PrivatePostgres;
import dev.datamigrate.testsupport.TestDatabase;
import dev.datamigrate.testsupport.Wrapping;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backfill run in the background (as {@code on-startup=background} and the endpoint run it) on a
 * PostgreSQL server of the test's own that restarts, or stays down longer than a heartbeat lasts: the run
 * resumes by itself once the server is back, with no restart of the application, and ends with every row
 * changed once; meanwhile another instance shows the migration as interrupted, not as running.
 */
class DatabaseRestartTests {

	private static final int ROWS = 20_000;

	private static final String LEASE = "3s";

	@Test
	void aBackgroundRunResumesByItselfAfterTheDatabaseRestarts() throws Exception {
		try (PrivatePostgres server = PrivatePostgres.start(); var dataSource = server.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, TestDatabase.Kind.POSTGRESQL, ROWS);
			instance(server, LockGate.OPEN).run((context) -> {
				DataMigrations migrations = context.getBean(DataMigrations.class);
				CompletableFuture<RunResult> run = migrations.runPendingInBackground("test");
				awaitBatches(migrations, 20);
				server.restart();
				RunResult result = run.get(120, TimeUnit.SECONDS);
				assertThat(result.outcome()).as(String.valueOf(result.error())).isEqualTo(RunResult.Outcome.COMPLETED);
				MigrationInfo done = migrations.status().find("1").orElseThrow();
				assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
				assertThat(done.recordsProcessed()).isEqualTo(ROWS);
			});
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, ROWS));
		}
	}

	@Test
	void aRunInterruptedLongerThanItsHeartbeatIsShownAsInterruptedThenResumes() throws Exception {
		try (PrivatePostgres server = PrivatePostgres.start(); var dataSource = server.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, TestDatabase.Kind.POSTGRESQL, ROWS);
			LockGate gate = new LockGate();
			instance(server, gate).run((a) -> {
				DataMigrations onA = a.getBean(DataMigrations.class);
				CompletableFuture<RunResult> run = onA.runPendingInBackground("test");
				awaitBatches(onA, 20);
				gate.close();
				server.stop();
				Thread.sleep(Duration.ofSeconds(6).toMillis());
				server.startAgain();
				instance(server, LockGate.OPEN).run((b) -> {
					DataMigrationsStatus seen = b.getBean(DataMigrations.class).status();
					MigrationInfo migration = seen.find("1").orElseThrow();
					assertThat(migration.status()).isEqualTo(MigrationStatus.RUNNING);
					assertThat(migration.interruptedSince()).as("since when no runner is alive").isNotNull();
					assertThat(seen.running()).isZero();
					assertThat(seen.interrupted()).isOne();
				});
				assertThat(run).as("A waits to take the lock again").isNotDone();
				gate.open();
				RunResult result = run.get(120, TimeUnit.SECONDS);
				assertThat(result.outcome()).as(String.valueOf(result.error())).isEqualTo(RunResult.Outcome.COMPLETED);
				MigrationInfo done = onA.status().find("1").orElseThrow();
				assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
				assertThat(done.interruptedSince()).isNull();
			});
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, ROWS));
		}
	}

	private static ApplicationContextRunner instance(PrivatePostgres server, LockGate gate) {
		return MigrationContexts.jdbc()
			.withPropertyValues(server.properties().toArray(String[]::new))
			.withUserConfiguration(Items.class)
			.withBean("gatedLock", BeanPostProcessor.class,
					() -> Wrapping.beansOf(MigrationLock.class, (lock) -> (timeout) -> {
						gate.pass();
						return lock.acquire(timeout);
					}))
			.withPropertyValues("data-migrate.on-startup=skip", "data-migrate.batch.size=100",
					"data-migrate.batch.pause=20ms", "data-migrate.lock.lease-duration=" + LEASE);
	}

	private static void awaitBatches(DataMigrations migrations, long batches) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Optional.ofNullable(migrations.status().find("1").orElse(null))
				.map(MigrationInfo::batchesDone)
				.orElse(0L) >= batches);
	}

	/**
	 * Holds back an instance's next attempts to take the lock, so that the test sees the migration before
	 * the instance resumes it.
	 */
	private static final class LockGate {

		static final LockGate OPEN = new LockGate();

		private volatile CountDownLatch latch = new CountDownLatch(0);

		void pass() throws InterruptedException {
			this.latch.await();
		}

		void close() {
			this.latch = new CountDownLatch(1);
		}

		void open() {
			this.latch.countDown();
		}

	}

}
