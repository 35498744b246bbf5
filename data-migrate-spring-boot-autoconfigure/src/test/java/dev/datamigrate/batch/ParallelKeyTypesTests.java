package dev.datamigrate.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A walk with {@code parallel(3)} over keys of every supported type, on PostgreSQL and MariaDB: every
 * matching row is changed once, rows inserted during the walk inside a range above its checkpoint are
 * walked and rows above the last range are not, and an empty table or one of one row succeeds.
 */
class ParallelKeyTypesTests {

	/** Keys made for a table, every other one (in the database's order) held back to insert during the walk. */
	private static final int POOL = 1200;

	private static final String HIGHEST_OF_POOL = "select k from pool order by k desc limit 1";

	static Stream<Arguments> cases() {
		return Stream.of(TestDatabase.Kind.POSTGRESQL, TestDatabase.Kind.MARIADB)
			.flatMap((kind) -> Stream.of(KeyKind.values()).map((key) -> Arguments.of(kind, key)));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("cases")
	void everyMatchingRowOnceWithRowsInsertedDuringTheWalk(TestDatabase.Kind kind, KeyKind key) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table pool (k " + key.column(kind) + " primary key)");
			for (Object value : key.pool(POOL)) {
				jdbc.update("insert into pool (k) values (?)", value);
			}
			jdbc.execute("create table walked (k " + key.column(kind) + " primary key, flag integer not null, "
					+ "changes integer default 0 not null)");
			// the odd keys of the pool in the database's order but its last two, every other one matching the filter
			jdbc.update("insert into walked (k, flag) select k, case when mod(rn, 4) = 1 then 1 else 0 end from "
					+ "(select k, row_number() over (order by k) as rn from pool) numbered where mod(rn, 2) = 1 and rn < ?",
					POOL - 1);
			jdbc.update("delete from pool where k in (select k from walked)");
			long matching = jdbc.queryForObject("select count(*) from walked where flag = 1", Long.class);
			assertThat(matching).isEqualTo(POOL / 4);
			walk(database, key, "walked").run((context) -> {
				RunResult result = context.getBean(DataMigrations.class).runPending();
				assertThat(result.applied()).containsExactly("1");
				assertSucceeded(context.getBean(DataMigrations.class), "1", matching + 1);
			});
			Object above = jdbc.queryForObject(HIGHEST_OF_POOL, Object.class);
			List<Object> inserted = jdbc.queryForList("select k from walked where k in (select k from pool)", Object.class);
			assertThat(inserted).hasSize(2).contains(above);
			Object inside = inserted.get(inserted.get(0).equals(above) ? 1 : 0);
			assertThat(jdbc.queryForList("select k from walked where changes <> flag", Object.class))
				.as("rows not changed as often as they match: only the one inserted above the last range")
				.containsExactly(above);
			assertThat(jdbc.queryForObject("select changes from walked where k = ?", Integer.class, inside))
				.as("the row inserted inside a range, above its checkpoint").isEqualTo(1);
			assertEveryRangeDoneAtItsUpperBound(jdbc, "1", matching + 1, 2);
		}
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("cases")
	void anEmptyTableAndATableOfOneRow(TestDatabase.Kind kind, KeyKind key) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			for (String table : List.of("empty_table", "one_row")) {
				jdbc.execute("create table " + table + " (k " + key.column(kind) + " primary key, flag integer not null, "
						+ "changes integer default 0 not null)");
			}
			Object only = key.pool(1).get(0);
			jdbc.update("insert into one_row (k, flag) values (?, 1)", only);
			walk(database, key, "empty_table").withUserConfiguration(WalkOneRow.class).run((context) -> {
				DataMigrations migrations = context.getBean(DataMigrations.class);
				assertThat(migrations.runPending().applied()).containsExactly("1", "2");
				assertSucceeded(migrations, "1", 0);
				assertSucceeded(migrations, "2", 1);
			});
			assertThat(jdbc.queryForObject("select changes from one_row", Integer.class)).isEqualTo(1);
			assertThat(jdbc.queryForObject("select count(*) from data_migrations_ranges where version = '1'",
					Integer.class)).as("ranges of the empty table").isZero();
			assertEveryRangeDoneAtItsUpperBound(jdbc, "2", 1, 1);
		}
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("numericCases")
	void numericKeysAtTheLimitsOfTheirType(TestDatabase.Kind kind, KeyKind key) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table limits (k " + key.column(kind) + " primary key, flag integer not null, "
					+ "changes integer default 0 not null)");
			long min = (key == KeyKind.LONG) ? Long.MIN_VALUE : Integer.MIN_VALUE;
			long max = (key == KeyKind.LONG) ? Long.MAX_VALUE : Integer.MAX_VALUE;
			List<Long> keys = new ArrayList<>(List.of(min, min + 1, max - 1, max));
			for (long k = -50; k <= 50; k += 5) {
				keys.add(k * k * k * 1_000);
			}
			for (long k : keys) {
				jdbc.update("insert into limits (k, flag) values (?, 1)", k);
			}
			walk(database, key, "limits").run((context) -> {
				assertThat(context.getBean(DataMigrations.class).runPending().applied()).containsExactly("1");
				assertSucceeded(context.getBean(DataMigrations.class), "1", keys.size());
			});
			assertThat(jdbc.queryForList("select changes from limits", Integer.class)).hasSize(keys.size())
				.containsOnly(1);
			assertEveryRangeDoneAtItsUpperBound(jdbc, "1", keys.size(), 2);
		}
	}

	static Stream<Arguments> numericCases() {
		return cases().filter((arguments) -> arguments.get()[1] == KeyKind.LONG || arguments.get()[1] == KeyKind.INTEGER);
	}

	private static ApplicationContextRunner walk(TestDatabase database, KeyKind key, String table) {
		return MigrationContexts.jdbc(database)
			.withUserConfiguration(Walk.class)
			.withPropertyValues("data-migrate.on-startup=skip", "spring.datasource.hikari.maximum-pool-size=10",
					"walk.type=" + key, "walk.table=" + table, "walk.insert=" + table.equals("walked"));
	}

	private static void assertSucceeded(DataMigrations migrations, String version, long records) {
		MigrationInfo done = migrations.status().find(version).orElseThrow();
		assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
		assertThat(done.recordsProcessed()).isEqualTo(records);
	}

	private static void assertEveryRangeDoneAtItsUpperBound(JdbcTemplate jdbc, String version, long records,
			int atLeast) {
		List<Map<String, Object>> ranges = jdbc
			.queryForList("select * from data_migrations_ranges where version = ? order by range_number", version);
		assertThat(ranges).hasSizeGreaterThanOrEqualTo(atLeast).allSatisfy((range) -> {
			assertThat(range.get("status")).isEqualTo("DONE");
			assertThat(range.get("checkpoint")).as("checkpoint of %s", range).isEqualTo(range.get("last_key"));
		});
		assertThat(ranges.stream().mapToLong((range) -> ((Number) range.get("records_processed")).longValue()).sum())
			.isEqualTo(records);
	}

	/**
	 * The key types, with their columns and keys.
	 */
	enum KeyKind {

		LONG(Long.class), INTEGER(Integer.class), STRING(String.class), UUID(java.util.UUID.class);

		private final Class<?> type;

		KeyKind(Class<?> type) {
			this.type = type;
		}

		String column(TestDatabase.Kind kind) {
			return switch (this) {
				case LONG -> "bigint";
				case INTEGER -> "integer";
				// collations where 'a' < 'B'
				case STRING -> (kind == TestDatabase.Kind.POSTGRESQL) ? "varchar(20) collate \"und-x-icu\""
						: "varchar(20) collate utf8mb4_general_ci";
				case UUID -> "uuid";
			};
		}

		/** Distinct keys: numbers negative and positive with gaps, names of mixed case, random UUIDs. */
		List<Object> pool(int size) {
			List<Object> keys = new ArrayList<>();
			for (int i = 0; i < size; i++) {
				keys.add(switch (this) {
					case LONG -> (i - size / 2) * 1_000_003L;
					case INTEGER -> (i - size / 2) * 1_009 + (i % 7);
					case STRING -> String.format("%s%04d", (i % 2 == 0) ? "a" : "B", i);
					case UUID -> java.util.UUID.randomUUID();
				});
			}
			return keys;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Walk.Migration.class)
	static class Walk {

		/**
		 * Walks a table's rows with {@code flag = 1} with three workers, counting each change; with
		 * {@code walk.insert}, from within the first batch it sees, it inserts one matching row just above the
		 * batch, inside its range, and one above every key, both from the keys of {@code pool}.
		 */
		@DataMigration(version = "1", transactional = false)
		static class Migration implements DataMigrationTask {

			private final JdbcTemplate jdbc;

			private final KeyKind key;

			private final String table;

			private final AtomicBoolean inserted;

			Migration(JdbcTemplate jdbc, @Value("${walk.type}") KeyKind key, @Value("${walk.table}") String table,
					@Value("${walk.insert}") boolean insert) {
				this.jdbc = jdbc;
				this.key = key;
				this.table = table;
				this.inserted = new AtomicBoolean(!insert);
			}

			@Override
			public void migrate(DataMigrationContext context) {
				walk(context, this.jdbc, this.key, this.table, this.inserted);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(WalkOneRow.Migration.class)
	static class WalkOneRow {

		@DataMigration(version = "2", transactional = false)
		static class Migration implements DataMigrationTask {

			private final JdbcTemplate jdbc;

			private final KeyKind key;

			Migration(JdbcTemplate jdbc, @Value("${walk.type}") KeyKind key) {
				this.jdbc = jdbc;
				this.key = key;
			}

			@Override
			public void migrate(DataMigrationContext context) {
				walk(context, this.jdbc, this.key, "one_row", new AtomicBoolean(true));
			}

		}

	}

	static <K> void walk(DataMigrationContext context, JdbcTemplate jdbc, KeyKind key, String table,
			AtomicBoolean inserted) {
		@SuppressWarnings("unchecked")
		Class<K> type = (Class<K>) key.type;
		context.batches(table).key("k", type).where("flag = 1").size(5).parallel(3).run((batch) -> {
			if (inserted.compareAndSet(false, true)) {
				// in the batch's transaction, so the range's checkpoint is this batch's last key when the rows
				// appear; a batch tried again inserts them again
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
					@Override
					public void afterCompletion(int status) {
						if (status != STATUS_COMMITTED) {
							inserted.set(false);
						}
					}
				});
				Object inside = jdbc.queryForObject("select k from pool where k > ? order by k limit 1", Object.class,
						batch.last());
				jdbc.update("insert into " + table + " (k, flag) values (?, 1)", inside);
				jdbc.update("insert into " + table + " (k, flag) values (?, 1)",
						jdbc.queryForObject(HIGHEST_OF_POOL, Object.class));
			}
			return jdbc.update("update " + table + " set changes = changes + 1 where k between ? and ? and flag = 1",
					batch.first(), batch.last());
		});
	}

}
