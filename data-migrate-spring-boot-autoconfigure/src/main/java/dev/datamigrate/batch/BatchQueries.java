package dev.datamigrate.batch;

import java.util.ArrayList;
import java.util.List;

import dev.datamigrate.database.Database;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.util.StringUtils;

/**
 * The queries of a walk. A batch is a range of the table's next keys, read by the key alone, so that
 * the database reads it from the key's index whatever its statistics say of the walk's filter; the
 * filter only counts the range's records and chooses the keys a handler asks for.
 *
 * @param <K> the key type
 */
final class BatchQueries<K> {

	private final Database database;

	private final String table;

	private final String key;

	private final KeyType<K> keyType;

	private final @Nullable String condition;

	/** The largest key walked, for a range of a parallel walk. */
	private final @Nullable K upTo;

	BatchQueries(Database database, String table, String key, KeyType<K> keyType, @Nullable String condition) {
		this(database, table, key, keyType, StringUtils.hasText(condition) ? "(" + condition + ")" : null, null);
	}

	private BatchQueries(Database database, String table, String key, KeyType<K> keyType, @Nullable String condition,
			@Nullable K upTo) {
		this.database = database;
		this.table = table;
		this.key = key;
		this.keyType = keyType;
		this.condition = condition;
		this.upTo = upTo;
	}

	/**
	 * These queries, limited to the keys up to one.
	 */
	BatchQueries<K> upTo(K last) {
		return new BatchQueries<>(this.database, this.table, this.key, this.keyType, this.condition, last);
	}

	/**
	 * The records matching the walk after a key, or all of them.
	 */
	long count(JdbcTemplate jdbc, @Nullable K after) {
		String sql = "select count(*) from " + this.table + where(after, this.condition);
		Long count = jdbc.queryForObject(sql, Long.class, args(after));
		return (count != null) ? count : 0;
	}

	/**
	 * The range of at most {@code size} keys after a key, or {@code null} when none is left.
	 */
	@Nullable Range<K> range(JdbcTemplate jdbc, @Nullable K after, int size) {
		String matches = (this.condition != null) ? ", case when " + this.condition + " then 1 else 0 end as matches"
				: ", 1 as matches";
		String page = this.database.firstRows("select " + this.key + matches + " from " + this.table + where(after)
				+ " order by " + this.key);
		Object[] args = args(after, size);
		if (this.keyType.hasMinAndMax()) {
			return jdbc.queryForObject("select min(" + this.key + "), max(" + this.key + "), count(*), sum(matches) from ("
					+ page + ") batch_range", (rs, row) -> (rs.getLong(3) == 0) ? null
							: new Range<>(this.keyType.fromColumn(rs.getObject(1)), this.keyType.fromColumn(rs.getObject(2)),
									rs.getInt(3), rs.getInt(4)),
					args);
		}
		RangeReader reader = new RangeReader();
		jdbc.query(page, reader, args);
		return reader.range();
	}

	/**
	 * The keys matching the walk after one key, up to another, in order.
	 */
	List<K> keys(JdbcTemplate jdbc, @Nullable K after, K last) {
		String sql = "select " + this.key + " from " + this.table + where(after, this.condition, this.key + " <= ?")
				+ " order by " + this.key;
		RowMapper<K> mapper = (rs, row) -> this.keyType.fromColumn(rs.getObject(1));
		return jdbc.query(sql, mapper, args(after, last));
	}

	/**
	 * The arguments of a query made by {@link #where}: the key to start after, the largest key, then more.
	 */
	private Object[] args(@Nullable K after, Object... more) {
		List<Object> args = new ArrayList<>();
		if (after != null) {
			args.add(after);
		}
		if (this.upTo != null) {
			args.add(this.upTo);
		}
		args.addAll(List.of(more));
		return args.toArray();
	}

	private String where(@Nullable K after, String... conditions) {
		List<String> all = new ArrayList<>();
		if (after != null) {
			all.add(this.key + " > ?");
		}
		if (this.upTo != null) {
			all.add(this.key + " <= ?");
		}
		for (String condition : conditions) {
			if (condition != null) {
				all.add(condition);
			}
		}
		return all.isEmpty() ? "" : " where " + String.join(" and ", all);
	}

	/**
	 * A batch's range of keys.
	 *
	 * @param first its first key
	 * @param last its last key
	 * @param rows rows in the range
	 * @param records rows in the range that match the walk
	 */
	record Range<K>(K first, K last, int rows, int records) {
	}

	/**
	 * Reads a range from its rows, for keys without {@code min} and {@code max} in SQL.
	 */
	private final class RangeReader implements RowCallbackHandler {

		private K first;

		private K last;

		private int rows;

		private int records;

		@Override
		public void processRow(java.sql.ResultSet rs) throws java.sql.SQLException {
			this.last = BatchQueries.this.keyType.fromColumn(rs.getObject(1));
			if (this.rows++ == 0) {
				this.first = this.last;
			}
			this.records += rs.getInt(2);
		}

		@Nullable Range<K> range() {
			return (this.rows > 0) ? new Range<>(this.first, this.last, this.rows, this.records) : null;
		}

	}

}
