package dev.datamigrate.traffic;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.autoconfigure.DataMigrationsMetricsAutoConfiguration;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backfill with default settings beside application traffic that holds a row lock ahead of it for
 * 10 s, three times: each batch that meets the lock waits no longer than the lock timeout, rolls back
 * and is tried again, and the backfill ends with every row changed once.
 */
@ExtendWith(OutputCaptureExtension.class)
class LockContentionTests {

	private static final int ROWS = 200_000;

	/** The rows the application's transactions lock, one after the other, each for {@link #HOLD}. */
	private static final long[] LOCKED = { 50_000, 110_000, 170_000 };

	private static final Duration HOLD = Duration.ofSeconds(10);

	private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);

	/** How often the server's view of lock waits is read: MariaDB's is stale if read more often than 100 ms. */
	static final long POLL_MILLIS = 150;

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void batchesThatMeetARowLockWaitAtMostTheLockTimeoutAndAreTriedAgain(TestDatabase.Kind kind,
			CapturedOutput output) throws Exception {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, kind, ROWS);
			// the backfill's connections carry it, so that the watch on PostgreSQL sees this test's waits only
			String applicationName = "LockContentionTests-" + database.name();
			LockWaits waits = new LockWaits(jdbc, kind, applicationName);
			RowLocks traffic = new RowLocks(database, LOCKED, HOLD);
			MigrationContexts.jdbc(database)
				.withConfiguration(AutoConfigurations.of(DataMigrationsMetricsAutoConfiguration.class))
				.withUserConfiguration(Backfill.class)
				.withPropertyValues("data-migrate.on-startup=skip",
						"spring.datasource.hikari.data-source-properties.ApplicationName=" + applicationName)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					DataMigrations migrations = context.getBean(DataMigrations.class);
					traffic.start();
					waits.start();
					migrations.runPending();
					waits.finish();
					traffic.join();
					MigrationInfo done = migrations.status().find("1").orElseThrow();
					assertThat(done.status()).as(done.error()).isEqualTo(MigrationStatus.SUCCEEDED);
					assertThat(done.recordsProcessed()).isEqualTo(ROWS);
					double retries = context.getBean(MeterRegistry.class)
						.get("data.migration.batch.retries")
						.tag("version", "1")
						.counter()
						.count();
					long retryEvents = output.getOut().lines().filter((line) -> line.contains("data_migration_batch_retry")).count();
					assertThat(retries).as("at least one retry for each lock held").isGreaterThanOrEqualTo(LOCKED.length);
					assertThat(retryEvents).as("a data_migration_batch_retry event for each retry").isEqualTo((long) retries);
				});
			assertThat(traffic.failure()).as("the application's transactions").isNull();
			assertThat(waits.failure()).as("the watch of lock waits").isNull();
			// innodb_trx gives the start of a wait in whole seconds; the application holds each lock 10 s
			long resolution = (kind == TestDatabase.Kind.MARIADB) ? 1000 : 0;
			assertThat(waits.longestMillis()).as("the longest lock wait the server showed, in ms")
				.isGreaterThan(0)
				.isLessThan(LOCK_TIMEOUT.toMillis() + resolution + 500);
			assertThat(Items.changeCounts(jdbc)).as("every row changed exactly once").isEqualTo(Map.of(1, ROWS));
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(Backfill.Migration.class)
	static class Backfill {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@DataMigration(version = "1", transactional = false)
		static class Migration implements DataMigrationTask {

			@Override
			public void migrate(DataMigrationContext context) {
				context.batches("items").update("update items set changes = changes + 1 where id between :first and :last");
			}

		}

	}

	/**
	 * The application's traffic: transactions that each lock one row and hold it, the next taking its
	 * row before the previous lets go of its own, so that the walk always meets a lock ahead of it.
	 */
	private static final class RowLocks extends Thread {

		private final TestDatabase database;

		private final long[] rows;

		private final Duration hold;

		private volatile Throwable failure;

		RowLocks(TestDatabase database, long[] rows, Duration hold) {
			super("row-locks");
			this.database = database;
			this.rows = rows;
			this.hold = hold;
			setDaemon(true);
		}

		@Override
		public void run() {
			Connection held = null;
			try {
				for (long row : this.rows) {
					Connection next = lock(row);
					release(held);
					held = next;
					Thread.sleep(this.hold.toMillis());
				}
				release(held);
			}
			catch (Throwable ex) {
				this.failure = ex;
			}
		}

		private Connection lock(long row) throws SQLException {
			Connection connection = this.database.connect();
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.executeQuery("select id from items where id = " + row + " for update").close();
			}
			return connection;
		}

		private static void release(Connection connection) throws SQLException {
			if (connection != null) {
				connection.commit();
				connection.close();
			}
		}

		Throwable failure() {
			return this.failure;
		}

	}

	/**
	 * Watches the server's own view of the sessions that wait for a lock, and keeps the longest wait seen.
	 */
	private static final class LockWaits extends Thread {

		private final JdbcTemplate jdbc;

		private final String query;

		private final Object[] arguments;

		private final AtomicLong longest = new AtomicLong();

		private volatile boolean stopped;

		LockWaits(JdbcTemplate jdbc, TestDatabase.Kind kind, String applicationName) {
			super("lock-waits");
			this.jdbc = jdbc;
			// the waits of this test only: other tests, of this run or another, may wait on the same server
			this.query = (kind == TestDatabase.Kind.POSTGRESQL)
					// every test schema is in the same database: the backfill's connections are told by their name
					? "select cast(coalesce(max(extract(epoch from clock_timestamp() - query_start) * 1000), 0) as bigint) "
							+ "from pg_stat_activity where application_name = ? and wait_event_type = 'Lock'"
					// each test has a database of its own
					: "select coalesce(max(timestampdiff(microsecond, t.trx_wait_started, now(6))) div 1000, 0) "
							+ "from information_schema.innodb_trx t join information_schema.processlist p "
							+ "on p.id = t.trx_mysql_thread_id where t.trx_state = 'LOCK WAIT' and p.db = database()";
			this.arguments = (kind == TestDatabase.Kind.POSTGRESQL) ? new Object[] { applicationName } : new Object[0];
			setDaemon(true);
		}

		private volatile Throwable failure;

		@Override
		public void run() {
			try {
				while (!this.stopped) {
					Long wait = this.jdbc.queryForObject(this.query, Long.class, this.arguments);
					this.longest.accumulateAndGet((wait != null) ? wait : 0, Math::max);
					// MariaDB refreshes innodb_trx only when nobody read it for 100 ms
					Thread.sleep(POLL_MILLIS);
				}
			}
			catch (Throwable ex) {
				this.failure = ex;
			}
		}

		Throwable failure() {
			return this.failure;
		}

		void finish() throws InterruptedException {
			this.stopped = true;
			join();
		}

		long longestMillis() {
			return this.longest.get();
		}

	}

}
