package dev.datamigrate.batch;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.database.Database;
import dev.datamigrate.history.MigrationHistory;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import dev.datamigrate.testsupport.Wrapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code update(sql)}: one statement a batch with the batch's keys as named parameters, in the batch's
 * transaction with its limits, its range read by the key alone and its guarded checkpoint; a failing batch
 * that rolls back alone, and a clear failure for a statement that cannot be a batch's.
 */
class BatchStatementTests {

	/** What {@code update(sql)} returned. */
	static final List<Long> returned = new CopyOnWriteArrayList<>();

	/** The SQL of every statement prepared, and {@code commit} for every commit, in order. */
	static final List<String> sent = new CopyOnWriteArrayList<>();

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void changesTheFilteredRowsOfEachBatchOnce(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, kind, 25);
			MigrationInfo done = run(database,
					"update items set changes = changes + 1, changed_by = :by where id in (:keys) and changes in (:unchanged);");
			assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
			assertThat(done.recordsTotal()).isEqualTo(13);
			assertThat(done.recordsProcessed()).isEqualTo(13);
			assertThat(done.batchesDone()).as("ranges of 5 keys, 1 to 25").isEqualTo(5);
			assertThat(done.checkpoint()).isEqualTo("25");
			assertThat(returned).containsExactly(13L);
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(0, 12, 1, 13));
			assertThat(jdbc.queryForList("select distinct changed_by from items where changes = 1", String.class))
				.containsExactly("statement");
		}
	}

	@Test
	void onPostgresqlEachBatchIsOneTransactionWithItsLimitsItsRangeByKeyAloneItsStatementAndItsCheckpoint() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource()) {
			Items.create(new JdbcTemplate(dataSource), TestDatabase.Kind.POSTGRESQL, 25);
			assertThat(run(database, "update items set changes = changes + 1 where id between :first and :last -- odd",
					RecordingStatements.class)
				.status()).isEqualTo(MigrationStatus.SUCCEEDED);
			List<String> batch = sent.stream().dropWhile((sql) -> !sql.startsWith("select set_config")).limit(5).toList();
			assertThat(batch).containsExactly(
					"select set_config('lock_timeout', '2000ms', true), set_config('statement_timeout', '30000ms', true), "
							+ "set_config('synchronous_commit', 'off', true)",
					"select min(id), max(id), count(*), sum(matches) from (select id, case when (mod(id, 2) = 1) then 1 "
							+ "else 0 end as matches from items order by id limit ?) batch_range",
					"update items set changes = changes + 1 where id between ? and ? -- odd",
					"update data_migrations set checkpoint = ?, records_processed = records_processed + ?, "
							+ "batches_done = batches_done + 1, batch_size = ?, rows_per_second = ?, heartbeat_at = ?, updated_at = ? "
							+ "where version = ? and owner_token = ? and status = 'RUNNING'",
					"commit");
			assertThat(sent).as("the next batches' ranges, after the last key")
				.contains("select min(id), max(id), count(*), sum(matches) from (select id, case when (mod(id, 2) = 1) "
						+ "then 1 else 0 end as matches from items where id > ? order by id limit ?) batch_range");
			assertThat(returned).as("every id of the ranges: the statement applies no filter of its own")
				.containsExactly(25L);
		}
	}

	@Test
	void countsTheRowsChangedWhenBatchesCommitSynchronously() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource()) {
			Items.create(new JdbcTemplate(dataSource), TestDatabase.Kind.POSTGRESQL, 25);
			assertThat(run(database, "update items set changes = changes + 1 where id in (:keys)", ByStatement.class,
					"data-migrate.batch.synchronous-commit=true")
				.status()).isEqualTo(MigrationStatus.SUCCEEDED);
			assertThat(returned).containsExactly(13L);
		}
	}

	@Test
	void aFailingBatchRollsBackAloneAndTheErrorNamesTheStatementAsWritten() {
		// batches of one key: the tenth odd one fails once PgJDBC has server-prepared the statement
		String sql = "update items set changes = changes + 1 / (case when id > 17 then 0 else 1 end) where id in (:keys)";
		runOnPostgresql(sql, (failed, jdbc) -> {
			assertThat(failed.status()).isEqualTo(MigrationStatus.FAILED);
			assertThat(failed.batchesDone()).isEqualTo(18);
			assertThat(failed.checkpoint()).isEqualTo("18");
			assertThat(failed.attempts()).isEqualTo(1);
			assertThat(failed.error().lines().findFirst().orElseThrow()).contains(sql).contains("division by zero");
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(0, 16, 1, 9));
		}, "items.size=1");
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void aBatchRecordOfARunThatNoLongerOwnsTheMigrationChangesNothing(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			MigrationHistory history = new MigrationHistory(dataSource, Database.of(dataSource), "data_migrations");
			history.createIfAbsent();
			history.insert("1", "Backfill items", "Backfill", MigrationStatus.PENDING);
			history.start("1", Set.of(MigrationStatus.PENDING), "Backfill items", "Backfill", "owner", "host", "test", "1.0");
			assertThat(history.recordBatch("1", "another run", "5", 5, 5, 50.0)).isFalse();
			assertThat(history.find("1").orElseThrow().checkpoint()).isNull();
			assertThat(history.recordBatch("1", "owner", "5", 5, 5, 50.0)).isTrue();
			assertThat(history.find("1").orElseThrow()).satisfies((record) -> {
				assertThat(record.checkpoint()).isEqualTo("5");
				assertThat(record.recordsProcessed()).isEqualTo(5);
				assertThat(record.batchSize()).isEqualTo(5);
				assertThat(record.rowsPerSecond()).isEqualTo(50.0);
			});
		}
	}

	@Test
	void aStatementThatNamesNoKeyFailsTheMigrationAndChangesNothing() {
		assertFailsWith("update items set changes = changes + 1 where mod(id, 2) = 1",
				"java.lang.IllegalArgumentException: Batch statement names no key of the batch, so every batch would "
						+ "change the same rows; restrict it with :first and :last or :keys, as in '... where id "
						+ "between :first and :last': update items set changes = changes + 1 where mod(id, 2) = 1");
	}

	@Test
	void aParameterWithoutAValueFailsTheMigrationAndChangesNothing() {
		assertFailsWith("update items set changed_by = :instance where id between :first and :last",
				"java.lang.IllegalArgumentException: Batch statement parameter ':instance' has no value; the batch's "
						+ "keys are :first, :last and :keys, and other values go in update(sql, parameters): update "
						+ "items set changed_by = :instance where id between :first and :last");
	}

	@Test
	void aStatementThatReturnsRowsFailsTheMigrationAndChangesNothing() {
		runOnPostgresql("update items set changes = changes + 1 where id in (:keys) returning id", (failed, jdbc) -> {
			assertThat(failed.status()).isEqualTo(MigrationStatus.FAILED);
			assertThat(failed.error().lines().findFirst().orElseThrow())
				.contains("update items set changes = changes + 1 where id in (:keys) returning id")
				.contains("A result was returned when none was expected");
			assertThat(failed.batchesDone()).isZero();
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(0, 25));
		});
	}

	private static void assertFailsWith(String sql, String error) {
		runOnPostgresql(sql, (failed, jdbc) -> {
			assertThat(failed.status()).isEqualTo(MigrationStatus.FAILED);
			assertThat(failed.error().lines().findFirst().orElseThrow()).startsWith(error);
			assertThat(failed.batchesDone()).isZero();
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(0, 25));
		});
	}

	/**
	 * Run the migration with the statement over 25 items on a new PostgreSQL database, then check it.
	 */
	private static void runOnPostgresql(String sql, BiConsumer<MigrationInfo, JdbcTemplate> check,
			String... properties) {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, TestDatabase.Kind.POSTGRESQL, 25);
			check.accept(run(database, sql, ByStatement.class, properties), jdbc);
		}
	}

	private static MigrationInfo run(TestDatabase database, String sql) {
		return run(database, sql, ByStatement.class);
	}

	private static MigrationInfo run(TestDatabase database, String sql, Class<?> configuration, String... properties) {
		returned.clear();
		sent.clear();
		MigrationInfo[] result = new MigrationInfo[1];
		MigrationContexts.jdbc(database)
			.withUserConfiguration(configuration)
			.withPropertyValues("data-migrate.on-startup=skip", "items.sql=" + sql)
			.withPropertyValues(properties)
			.run((context) -> {
				DataMigrations migrations = context.getBean(DataMigrations.class);
				migrations.runPending();
				result[0] = migrations.status().find("1").orElseThrow();
			});
		return result[0];
	}

	@Configuration(proxyBeanMethods = false)
	@Import(ByStatement.Migration.class)
	static class ByStatement {

		/** Walks the odd items five at a time, or {@code items.size}, with the statement of {@code items.sql}. */
		@DataMigration(version = "1", transactional = false)
		static class Migration implements DataMigrationTask {

			private final String sql;

			private final int size;

			Migration(@Value("${items.sql}") String sql, @Value("${items.size:5}") int size) {
				this.sql = sql;
				this.size = size;
			}

			@Override
			public void migrate(DataMigrationContext context) {
				returned.add(context.batches("items")
					.where("mod(id, 2) = 1")
					.size(this.size)
					.update(this.sql, Map.of("by", "statement", "unchanged", List.of(0))));
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(ByStatement.class)
	static class RecordingStatements {

		@Bean
		static BeanPostProcessor recordingDataSource() {
			return Wrapping.dataSources((dataSource) -> recordingPrepared(dataSource.getConnection()));
		}

		private static Connection recordingPrepared(Connection connection) {
			return Wrapping.proxy(Connection.class, connection, (method, args) -> {
				if (method.getName().equals("prepareStatement")) {
					sent.add((String) args[0]);
				}
				else if (method.getName().equals("createStatement")) {
					Statement statement = (Statement) method.invoke(connection, args);
					return Wrapping.proxy(Statement.class, statement, (called, values) -> {
						if (called.getName().equals("execute")) {
							sent.add((String) values[0]);
						}
						return called.invoke(statement, values);
					});
				}
				else if (method.getName().equals("commit")) {
					sent.add("commit");
				}
				return method.invoke(connection, args);
			});
		}

	}

}
