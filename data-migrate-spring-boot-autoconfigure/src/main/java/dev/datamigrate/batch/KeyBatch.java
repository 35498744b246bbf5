package dev.datamigrate.batch;

import java.util.List;
import java.util.function.Supplier;

import dev.datamigrate.Batches.Batch;

/**
 * A batch: a range of keys, whose keys that match the walk are read when they are asked for, in the
 * batch's transaction.
 *
 * @param <K> the key type
 */
final class KeyBatch<K> implements Batch<K> {

	private final BatchQueries.Range<K> range;

	private final long number;

	private final Supplier<List<K>> readKeys;

	private List<K> keys;

	KeyBatch(BatchQueries.Range<K> range, long number, Supplier<List<K>> readKeys) {
		this.range = range;
		this.number = number;
		this.readKeys = readKeys;
	}

	@Override
	public K first() {
		return this.range.first();
	}

	@Override
	public K last() {
		return this.range.last();
	}

	@Override
	public List<K> keys() {
		if (this.keys == null) {
			this.keys = this.readKeys.get();
		}
		return this.keys;
	}

	@Override
	public int size() {
		return (this.keys != null) ? this.keys.size() : this.range.records();
	}

	@Override
	public long number() {
		return this.number;
	}

	@Override
	public String toString() {
		return "batch " + this.number + " (keys " + first() + " to " + last() + ")";
	}

}
