package dev.datamigrate.batch;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.datamigrate.database.Database;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Splits a table's keys into ranges for a parallel walk. (Stub: numeric keys only, replaced by the keysplit branch.)
 *
 * @param <K> the key type
 */
final class KeySplit<K> {

	private final String table;

	private final String key;

	private final KeyType<K> keyType;

	KeySplit(Database database, String table, String key, KeyType<K> keyType) {
		this.table = table;
		this.key = key;
		this.keyType = keyType;
	}

	List<Bounds<K>> split(JdbcTemplate jdbc, int ranges) {
		Map<String, Object> minMax = jdbc.queryForMap("select min(" + this.key + ") lo, max(" + this.key + ") hi from " + this.table);
		Object lo = minMax.values().toArray()[0];
		Object hi = minMax.values().toArray()[1];
		List<Bounds<K>> bounds = new ArrayList<>();
		if (lo == null) {
			return bounds;
		}
		BigInteger min = new BigInteger(lo.toString());
		BigInteger max = new BigInteger(hi.toString());
		BigInteger span = max.subtract(min).add(BigInteger.ONE);
		BigInteger count = span.min(BigInteger.valueOf(ranges));
		BigInteger step = span.add(count).subtract(BigInteger.ONE).divide(count);
		K after = null;
		for (BigInteger upper = min.add(step).subtract(BigInteger.ONE); ; upper = upper.add(step)) {
			K last = this.keyType.fromCheckpoint(upper.min(max).toString());
			bounds.add(new Bounds<>(after, last));
			if (upper.compareTo(max) >= 0) {
				return bounds;
			}
			after = last;
		}
	}

	record Bounds<K>(@Nullable K after, K last) {
	}

}
