package dev.datamigrate.batch;

import java.util.UUID;
import java.util.function.Function;

/**
 * A supported key type: how keys are read from a result and restored from a checkpoint.
 *
 * @param <K> the key type
 */
final class KeyType<K> {

	private final Class<K> type;

	private final Function<String, K> parse;

	private KeyType(Class<K> type, Function<String, K> parse) {
		this.type = type;
		this.parse = parse;
	}

	@SuppressWarnings("unchecked")
	static <K> KeyType<K> of(Class<K> type) {
		if (type == Long.class) {
			return (KeyType<K>) new KeyType<>(Long.class, Long::valueOf);
		}
		if (type == Integer.class) {
			return (KeyType<K>) new KeyType<>(Integer.class, Integer::valueOf);
		}
		if (type == String.class) {
			return (KeyType<K>) new KeyType<>(String.class, Function.identity());
		}
		if (type == UUID.class) {
			return (KeyType<K>) new KeyType<>(UUID.class, UUID::fromString);
		}
		throw new IllegalArgumentException("Batch keys of type " + type.getName()
				+ " are not supported: use Long, Integer, String or UUID");
	}

	/**
	 * Whether every column that keys of this type come from has {@code min} and {@code max}: numbers do,
	 * but a String or UUID key may be a {@code uuid} column, which PostgreSQL has none for.
	 */
	boolean hasMinAndMax() {
		return this.type == Long.class || this.type == Integer.class;
	}

	K fromCheckpoint(String checkpoint) {
		return this.parse.apply(checkpoint);
	}

	K fromColumn(Object value) {
		if (this.type.isInstance(value)) {
			return this.type.cast(value);
		}
		if (value instanceof Number number && this.type == Long.class) {
			return this.type.cast(number.longValue());
		}
		if (value instanceof Number number && this.type == Integer.class) {
			return this.type.cast(number.intValue());
		}
		return this.parse.apply(value.toString());
	}

	@Override
	public String toString() {
		return this.type.getSimpleName();
	}

}
