package dev.datamigrate.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.datamigrate.batch.KeySplit.Bounds;
import dev.datamigrate.database.Database;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table's keys split into ranges for a parallel walk: walked with {@code after < key <= last}, in the
 * database's own order, the ranges hold every key exactly once, and there are about as many as asked.
 */
class KeySplitTests {

	private static final int[] ASKED = { 1, 2, 3, 7, 16, 50 };

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void longKeysWithGapsNegativeAndExtremeValues(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table t (id bigint primary key)");
			List<Long> ids = new ArrayList<>(List.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -1_000_000_000_000L, -5L, -1L,
					0L, 1_000_000_000_000L, Long.MAX_VALUE - 1, Long.MAX_VALUE));
			for (long id = 100; id < 140; id++) {
				ids.add(id);
			}
			ids.forEach((id) -> jdbc.update("insert into t (id) values (?)", id));
			for (int asked : ASKED) {
				List<Bounds<Long>> ranges = split(jdbc, "id", Long.class, asked);
				assertThat(ranges).as("equal widths over a span wider than any count asked").hasSize(asked);
				assertWalk(jdbc, "id", Long.class, ranges, false);
			}
			jdbc.update("delete from t where id <> 0");
			assertThat(split(jdbc, "id", Long.class, 4)).as("one row").containsExactly(new Bounds<>(null, 0L));
			jdbc.update("delete from t");
			assertThat(split(jdbc, "id", Long.class, 4)).as("no rows").isEmpty();
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void integerKeysAndMoreRangesAskedThanPossibleKeys(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table t (id integer primary key)");
			for (int id : new int[] { Integer.MIN_VALUE, -70_000, -3, 7, 8, 9, 1 << 20, Integer.MAX_VALUE }) {
				jdbc.update("insert into t (id) values (?)", id);
			}
			for (int asked : ASKED) {
				List<Bounds<Integer>> ranges = split(jdbc, "id", Integer.class, asked);
				assertThat(ranges).hasSize(asked);
				assertWalk(jdbc, "id", Integer.class, ranges, false);
			}
			jdbc.update("delete from t where id < 7 or id > 9");
			List<Bounds<Integer>> ranges = split(jdbc, "id", Integer.class, 10);
			assertThat(ranges).as("one range per possible key from 7 to 9").containsExactly(new Bounds<>(null, 7),
					new Bounds<>(7, 8), new Bounds<>(8, 9));
			assertWalk(jdbc, "id", Integer.class, ranges, true);
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void mixedCaseStringKeysInTheOrderOfTheColumnsCollation(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			String type = switch (kind) {
				case POSTGRESQL -> "varchar(20) collate \"und-x-icu\"";
				case MARIADB -> "varchar(20) collate utf8mb4_general_ci";
				case H2 -> {
					jdbc.execute("set collation english");
					yield "varchar(20)";
				}
			};
			jdbc.execute("create table t (name " + type + " primary key)");
			for (int i = 0; i < 61; i++) {
				jdbc.update("insert into t (name) values (?)", String.format("%s%02d", (i % 2 == 0) ? "a" : "B", i));
			}
			jdbc.update("insert into t (name) values ('b'), ('A-'), ('Z'), ('zz')");
			assertThat(keys(jdbc, "name", String.class, "")).as("the collation puts 'a' before 'B'")
				.startsWith("A-", "a00", "a02")
				.endsWith("Z", "zz");
			for (int asked : ASKED) {
				List<Bounds<String>> ranges = split(jdbc, "name", String.class, asked);
				assertThat(ranges).hasSizeBetween(Math.min(asked, 65) / 2, asked + 1);
				assertWalk(jdbc, "name", String.class, ranges, true);
			}
			assertThat(split(jdbc, "name", String.class, 100)).as("a range per key").hasSize(65);
			jdbc.update("delete from t where name not in ('a00', 'B01', 'b')");
			List<String> left = keys(jdbc, "name", String.class, "");
			assertThat(split(jdbc, "name", String.class, 10)).as("a range per key").containsExactly(
					new Bounds<>(null, left.get(0)), new Bounds<>(left.get(0), left.get(1)),
					new Bounds<>(left.get(1), left.get(2)));
			jdbc.update("delete from t where name <> 'b'");
			assertThat(split(jdbc, "name", String.class, 3)).as("one row").containsExactly(new Bounds<>(null, "b"));
			jdbc.update("delete from t");
			assertThat(split(jdbc, "name", String.class, 3)).as("no rows").isEmpty();
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void uuidKeys(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table t (id uuid primary key)");
			UUID only = UUID.randomUUID();
			jdbc.update("insert into t (id) values (?)", only);
			assertThat(split(jdbc, "id", UUID.class, 4)).as("one row").containsExactly(new Bounds<>(null, only));
			for (int i = 0; i < 299; i++) {
				jdbc.update("insert into t (id) values (?)", UUID.randomUUID());
			}
			for (int asked : ASKED) {
				List<Bounds<UUID>> ranges = split(jdbc, "id", UUID.class, asked);
				assertThat(ranges).hasSizeBetween(asked / 2, asked + 1);
				assertWalk(jdbc, "id", UUID.class, ranges, true);
			}
			assertThat(split(jdbc, "id", UUID.class, 1000)).as("a range per key").hasSize(300);
			jdbc.update("delete from t");
			assertThat(split(jdbc, "id", UUID.class, 4)).as("no rows").isEmpty();
		}
	}

	private static <K> List<Bounds<K>> split(JdbcTemplate jdbc, String key, Class<K> type, int ranges) {
		return new KeySplit<>(Database.of(jdbc.getDataSource()), "t", key, KeyType.of(type)).split(jdbc, ranges);
	}

	/**
	 * Walks the ranges as a worker would, comparing in SQL, and checks that they hold every key once, in the
	 * database's order, one after another, up to the highest key.
	 */
	private static <K> void assertWalk(JdbcTemplate jdbc, String key, Class<K> type, List<Bounds<K>> ranges,
			boolean noneEmpty) {
		List<K> all = keys(jdbc, key, type, "");
		List<K> walked = new ArrayList<>();
		K previous = null;
		for (Bounds<K> range : ranges) {
			assertThat(range.after()).as("each range starts where the one before ends").isEqualTo(previous);
			List<K> inRange = (range.after() != null)
					? keys(jdbc, key, type, " where " + key + " > ? and " + key + " <= ?", range.after(), range.last())
					: keys(jdbc, key, type, " where " + key + " <= ?", range.last());
			if (noneEmpty) {
				assertThat(inRange).as("keys in %s", range).isNotEmpty();
			}
			walked.addAll(inRange);
			previous = range.last();
		}
		assertThat(walked).as("every key once, in order, over %d ranges", ranges.size()).isEqualTo(all);
		assertThat(previous).as("the last range ends at the highest key").isEqualTo(all.get(all.size() - 1));
	}

	private static <K> List<K> keys(JdbcTemplate jdbc, String key, Class<K> type, String where, Object... args) {
		KeyType<K> keyType = KeyType.of(type);
		return jdbc.query("select " + key + " from t" + where + " order by " + key,
				(rs, row) -> keyType.fromColumn(rs.getObject(1)), args);
	}

}
