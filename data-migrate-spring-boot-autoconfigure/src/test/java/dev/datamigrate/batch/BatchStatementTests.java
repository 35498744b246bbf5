package dev.datamigrate.batch;

import java.sql.Connection;
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
import dev.datamigrate.MigrationStatus;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.history.BatchCommit;
import dev.datamigrate.history.BoundStatement;
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
 * {@code update(sql)}: one statement a batch with the batch's keys as named parameters, sent together
 * with the guarded checkpoint on PostgreSQL and, from the second batch on, committed in the same round
 * trip; a failing batch that rolls back alone, and a clear failure for a statement that cannot be a
 * batch's.
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
			assertThat(done.batchesDone()).isEqualTo(3);
			assertThat(done.checkpoint()).isEqualTo("25");
			assertThat(returned).containsExactly(13L);
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(0, 12, 1, 13));
			assertThat(jdbc.queryForList("select distinct changed_by from items where changes = 1", String.class))
				.containsExactly("statement");
		}
	}

	@Test
	void onPostgresqlEachBatchSendsItsStatementWithItsCheckpointAndLaterOnesCommitInTheSameRoundTrip() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource()) {
			Items.create(new JdbcTemplate(dataSource), TestDatabase.Kind.POSTGRESQL, 25);
			// a line comment at its end must not hide what the starter sends after it
			assertThat(run(database, "update items set changes = changes + 1 where id between :first and :last -- odd",
					RecordingStatements.class)
				.status()).isEqualTo(MigrationStatus.SUCCEEDED);
			List<String> batches = sent.stream()
				.dropWhile((sql) -> !sql.contains("update items"))
				.filter((sql) -> sql.contains("update items") || sql.equals("commit"))
				.limit(4)
				.toList();
			assertThat(batches.get(0)).as("the first batch, in a transaction")
				.startsWith("set local synchronous_commit = off")
				.contains("update items")
				.endsWith("update data_migrations set checkpoint = ?, records_processed = records_processed + ?, "
						+ "batches_done = batches_done + 1, updated_at = ? where version = ? and owner_token = ? and "
						+ "status = 'RUNNING'");
			assertThat(batches.get(1)).isEqualTo("commit");
			assertThat(batches.subList(2, 4)).as("batches 2 and 3, committed in their round trip, with the next keys")
				.allMatch((sql) -> sql.startsWith("begin\n; set local synchronous_commit = off\n; with recorded as "
						+ "(update data_migrations set checkpoint = ?")
						&& sql.endsWith("-- odd\n; commit\n; select min(id), max(id), count(*) from (select id from "
								+ "items where (mod(id, 2) = 1) and id > ? order by id limit 5) next_batch"));
			assertThat(sent.stream().filter((sql) -> sql.startsWith("select min(id), max(id), count(*) from (select id "
					+ "from items")))
				.as("bounds selected apart: batch 1's, and batch 2's read ahead")
				.hasSize(2);
			assertThat(returned).as("the odd ids and the even ones between them, 1 to 25 but 10 and 20")
				.containsExactly(23L);
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
		// batches of one item: the tenth fails once PgJDBC has server-prepared the statement
		String sql = "update items set changes = changes + 1 / (case when id > 17 then 0 else 1 end) where id in (:keys)";
		runOnPostgresql(sql, (failed, jdbc) -> {
			assertThat(failed.status()).isEqualTo(MigrationStatus.FAILED);
			assertThat(failed.batchesDone()).isEqualTo(9);
			assertThat(failed.checkpoint()).isEqualTo("17");
			assertThat(failed.error().lines().findFirst().orElseThrow()).contains("update data_migrations")
				.contains(sql)
				.contains("division by zero");
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(0, 16, 1, 9));
		}, "items.size=1");
	}

	@ParameterizedTest(name = "{0}, asynchronous commit: {1}")
	@CsvSource({ "POSTGRESQL, true", "POSTGRESQL, false", "H2, true", "MARIADB, true" })
	void aRunThatNoLongerOwnsTheMigrationGetsNoCountAndItsBatchRollsBack(TestDatabase.Kind kind,
			boolean asynchronousCommit) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, kind, 25);
			MigrationHistory history = new MigrationHistory(dataSource, "data_migrations");
			history.createIfAbsent();
			history.insert("1", "Backfill items", "Backfill", MigrationStatus.PENDING);
			history.start("1", Set.of(MigrationStatus.PENDING), "Backfill items", "Backfill", "owner", "host", "test");
			BoundStatement work = BoundStatement.of("update items set changes = changes + 1 where id <= ?", 5);
			TransactionTemplate transactions = new TransactionTemplate(new JdbcTransactionManager(dataSource));
			OptionalLong lost = transactions.execute((status) -> {
				status.setRollbackOnly();
				return history.recordBatch("1", "another run", "5", 5, asynchronousCommit, work);
			});
			assertThat(lost).isEmpty();
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(0, 25));
			OptionalLong owned = transactions
				.execute((status) -> history.recordBatch("1", "owner", "5", 5, asynchronousCommit, work));
			assertThat(owned).hasValue(5);
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(0, 20, 1, 5));
			assertThat(history.find("1").orElseThrow().checkpoint()).isEqualTo("5");
		}
	}

	@ParameterizedTest(name = "asynchronous commit: {0}, pool auto-commit: {1}")
	@CsvSource({ "true, true", "false, true", "true, false", "false, false" })
	void batchesThatCommitAloneCommitNothingForARunThatNoLongerOwnsTheMigration(boolean asynchronousCommit,
			boolean poolAutoCommit) {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource();
				var historySource = database.dataSource()) {
			historySource.setAutoCommit(poolAutoCommit);
			historySource.setMaximumPoolSize(1);
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, TestDatabase.Kind.POSTGRESQL, 25);
			MigrationHistory setUp = new MigrationHistory(dataSource, "data_migrations");
			setUp.createIfAbsent();
			setUp.insert("1", "Backfill items", "Backfill", MigrationStatus.PENDING);
			setUp.start("1", Set.of(MigrationStatus.PENDING), "Backfill items", "Backfill", "owner", "host", "test");
			MigrationHistory history = new MigrationHistory(historySource, "data_migrations");
			BoundStatement read = BoundStatement.of("select id from items where changes = 0 order by id limit ?", 2);
			// ten batches: from the sixth on, PgJDBC sends a statement it has server-prepared
			for (long id = 1; id <= 10; id++) {
				BoundStatement work = BoundStatement.of("update items set changes = changes + 1 where id = ?", id);
				assertThat(history.commitBatch("1", "owner", String.valueOf(id), 1, asynchronousCommit, work, read))
					.as("the rows changed, and the query after them")
					.hasValue(new BatchCommit(1, List.of(List.of(id + 1), List.of(id + 2))));
			}
			BoundStatement work = BoundStatement.of("update items set changes = changes + 1 where id = ?", 11L);
			assertThat(history.commitBatch("1", "another run", "11", 1, asynchronousCommit, work, read)).isEmpty();
			assertThat(history.commitBatch("1", "owner", "11", 1, asynchronousCommit, work, read))
				.as("on the same pooled connection, its transaction rolled back")
				.hasValue(new BatchCommit(1, List.of(List.of(12L), List.of(13L))));
			assertThat(Items.changeCounts(jdbc)).as("committed, as another connection sees")
				.isEqualTo(Map.of(0, 14, 1, 11));
			assertThat(setUp.find("1").orElseThrow()).satisfies((record) -> {
				assertThat(record.checkpoint()).isEqualTo("11");
				assertThat(record.batchesDone()).isEqualTo(11);
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
		assertFailsWith("update items set changes = changes + 1 where id in (:keys) returning id",
				"org.springframework.dao.InvalidDataAccessApiUsageException: A batch statement returned rows; it must "
						+ "only change them: update items set changes = changes + 1 where id in (:keys) returning id");
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
			// what the walk sends, not the total counted and recorded beside it
			return Wrapping.dataSources((dataSource) -> Thread.currentThread().getName().startsWith("data-migrate-count-")
					? dataSource.getConnection() : recordingPrepared(dataSource.getConnection()));
		}

		private static Connection recordingPrepared(Connection connection) {
			return Wrapping.proxy(Connection.class, connection, (method, args) -> {
				if (method.getName().equals("prepareStatement")) {
					sent.add((String) args[0]);
				}
				else if (method.getName().equals("commit")) {
					sent.add("commit");
				}
				return method.invoke(connection, args);
			});
		}

	}

}
