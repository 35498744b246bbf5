package dev.datamigrate.batch;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import dev.datamigrate.database.Database;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

/**
 * Splits a table's key space into ranges for a parallel walk. Numeric keys split into ranges of equal
 * width between the table's lowest and highest key; string and UUID keys at every n-th key in the
 * database's own order, sampled by one query in the database, so that neither the keys nor their order
 * ever reach the application.
 *
 * @param <K> the key type
 */
final class KeySplit<K> {

	private final Database database;

	private final String table;

	private final String key;

	private final KeyType<K> keyType;

	KeySplit(Database database, String table, String key, KeyType<K> keyType) {
		this.database = database;
		this.table = table;
		this.key = key;
		this.keyType = keyType;
	}

	/**
	 * About {@code ranges} ranges, in key order, that together hold every key present now; none for an empty
	 * table.
	 * @param jdbc template on the table's database
	 * @param ranges how many ranges to aim for
	 * @return the ranges
	 */
	List<Bounds<K>> split(JdbcTemplate jdbc, int ranges) {
		Assert.isTrue(ranges > 0, () -> "Ranges must be positive, not " + ranges);
		List<K> lasts = this.keyType.hasMinAndMax() ? byWidth(jdbc, ranges) : bySample(jdbc, ranges);
		List<Bounds<K>> bounds = new ArrayList<>(lasts.size());
		@Nullable K after = null;
		for (K last : lasts) {
			bounds.add(new Bounds<>(after, last));
			after = last;
		}
		return bounds;
	}

	/**
	 * The last keys of ranges of equal width from the lowest key to the highest, in arithmetic that holds
	 * for any {@code long} bounds, and at most one range per possible key.
	 */
	private List<K> byWidth(JdbcTemplate jdbc, int ranges) {
		BigInteger[] minAndMax = jdbc.queryForObject(
				"select min(" + this.key + "), max(" + this.key + ") from " + this.table,
				(rs, row) -> new BigInteger[] { number(rs.getObject(1)), number(rs.getObject(2)) });
		if (minAndMax == null || minAndMax[0] == null) {
			return List.of();
		}
		BigInteger min = minAndMax[0];
		BigInteger span = minAndMax[1].subtract(min).add(BigInteger.ONE);
		BigInteger count = span.min(BigInteger.valueOf(ranges));
		List<K> lasts = new ArrayList<>();
		for (long i = 1; i <= count.longValueExact(); i++) {
			// span * i / count grows by at least 1 with i, since count <= span: no two ranges end alike
			BigInteger last = min.add(span.multiply(BigInteger.valueOf(i)).divide(count)).subtract(BigInteger.ONE);
			lasts.add(this.keyType.fromColumn(last.longValueExact()));
		}
		return lasts;
	}

	private static @Nullable BigInteger number(@Nullable Object value) {
		return (value != null) ? BigInteger.valueOf(((Number) value).longValue()) : null;
	}

	/**
	 * The last keys of ranges of about equal count: every {@code step}-th key by the database's order and
	 * collation, then the highest key if it is not the last of these. The highest key is read in
	 * descending order, as PostgreSQL has no {@code max} of a {@code uuid}.
	 */
	private List<K> bySample(JdbcTemplate jdbc, int ranges) {
		Long rows = jdbc.queryForObject("select count(*) from " + this.table, Long.class);
		if (rows == null || rows == 0) {
			return List.of();
		}
		long step = (rows + ranges - 1) / ranges;
		// the step is a number computed here, written into the query so that no driver has to type it
		List<K> lasts = new ArrayList<>(jdbc.query("select " + this.key + " from (select " + this.key
				+ ", row_number() over (order by " + this.key + ") as rn from " + this.table
				+ ") numbered where mod(rn, " + step + ") = 0 order by " + this.key,
				(rs, row) -> this.keyType.fromColumn(rs.getObject(1))));
		String highest = "select " + this.key + " from " + this.table
				+ (lasts.isEmpty() ? "" : " where " + this.key + " > ?") + " order by " + this.key + " desc";
		Object[] args = lasts.isEmpty() ? new Object[] { 1 } : new Object[] { lasts.get(lasts.size() - 1), 1 };
		// the database compares: under its collation the highest key may differ from Java's
		lasts.addAll(jdbc.query(this.database.firstRows(highest), (rs, row) -> this.keyType.fromColumn(rs.getObject(1)),
				args));
		return lasts;
	}

	/**
	 * A range of keys.
	 *
	 * @param <K> the key type
	 * @param after exclusive lower bound, null for the first range (from the table's first key)
	 * @param last inclusive upper bound
	 */
	record Bounds<K>(@Nullable K after, K last) {
	}

}
