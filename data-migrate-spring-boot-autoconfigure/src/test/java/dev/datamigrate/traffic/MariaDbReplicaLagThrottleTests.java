package dev.datamigrate.traffic;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.PrivateMariaDb;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built-in lag check of the MariaDB replicas an application names in
 * {@code data-migrate.throttle.replicas}, on a primary and replica of the test's own: a replica whose SQL
 * thread stops holds the backfill until it runs again, and so does one more than
 * {@code max-replication-lag} behind; the backfill then finishes with every row changed once.
 */
class MariaDbReplicaLagThrottleTests {

	private static final int ROWS = 40_000;

	@Test
	void aStoppedOrLaggingReplicaHoldsTheBackfill() throws Exception {
		try (PrivateMariaDb primary = PrivateMariaDb.start(); PrivateMariaDb replica = primary.startReplica();
				HikariDataSource onPrimary = primary.dataSource(); HikariDataSource onReplica = replica.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(onPrimary);
			Items.create(jdbc, TestDatabase.Kind.MARIADB, ROWS);
			replica.awaitCaughtUp(Duration.ofSeconds(30));
			MigrationContexts.jdbc()
				.withBean("dataSource", DataSource.class, () -> onPrimary, (definition) -> definition.setPrimary(true))
				.withBean("reportingReplica", DataSource.class, () -> onReplica,
						(definition) -> definition.setAutowireCandidate(false))
				.withUserConfiguration(Items.class)
				.withPropertyValues("data-migrate.on-startup=skip", "data-migrate.batch.size=100",
						"data-migrate.batch.pause=20ms", "data-migrate.throttle.replicas=reportingReplica",
						"data-migrate.throttle.max-replication-lag=2s", "data-migrate.throttle.interval=100ms")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					DataMigrations migrations = context.getBean(DataMigrations.class);
					CompletableFuture<RunResult> run = migrations.runPendingInBackground("test");
					await().atMost(Duration.ofSeconds(30)).until(() -> migration(migrations).batchesDone() >= 5);

					replica.stopReplicationSqlThread();
					awaitHeldBy(migrations, "replication of replica 'reportingReplica' is stopped");
					replica.startReplicationSqlThread();
					long resumedAt = migration(migrations).batchesDone();
					await().atMost(Duration.ofSeconds(10)).until(() -> migration(migrations).batchesDone() > resumedAt + 5);

					// a delayed replica's Seconds_Behind_Master falls back soon after the primary stops writing,
					// so the hold it causes is short: wait for the hold itself, not for a time without batches
					replica.setReplicationDelay(Duration.ofSeconds(5));
					String lagging = await().atMost(Duration.ofSeconds(20))
						.pollInterval(Duration.ofMillis(20))
						.until(() -> migration(migrations).throttledBy(),
								(reason) -> reason != null && reason.startsWith("replica 'reportingReplica' is "));
					assertThat(lagging).endsWith("s behind, above data-migrate.throttle.max-replication-lag (PT2S)");
					replica.setReplicationDelay(Duration.ZERO);

					RunResult result = run.get(120, TimeUnit.SECONDS);
					assertThat(result.outcome()).as(String.valueOf(result.error())).isEqualTo(RunResult.Outcome.COMPLETED);
					assertThat(migration(migrations).status()).isEqualTo(MigrationStatus.SUCCEEDED);
				});
			try (HikariDataSource afterwards = primary.dataSource()) {
				// the context closed the data sources it was given
				assertThat(Items.changeCounts(new JdbcTemplate(afterwards))).isEqualTo(Map.of(1, ROWS));
			}
		}
	}

	/**
	 * Wait until a throttle holds the backfill for the reason, then see that no batch commits for a second.
	 */
	private static void awaitHeldBy(DataMigrations migrations, String reason) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> String.valueOf(migration(migrations).throttledBy()).startsWith(reason));
		long held = migration(migrations).batchesDone();
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.until(() -> migration(migrations).batchesDone() == held);
	}

	private static MigrationInfo migration(DataMigrations migrations) {
		return migrations.status().find("1").orElseThrow();
	}

}
