package dev.datamigrate.batch;

import java.util.AbstractList;

/**
 * The keys of a batch read as its first, its last and their number only, which is all a batch needs
 * unless its statement names {@code :keys} or its handler asks for them: a list whose keys between the
 * first and the last are not known.
 *
 * @param <K> the key type
 */
final class KeyRange<K> extends AbstractList<K> {

	private final K first;

	private final K last;

	private final int size;

	KeyRange(K first, K last, int size) {
		this.first = first;
		this.last = last;
		this.size = size;
	}

	@Override
	public K get(int index) {
		if (index == 0) {
			return this.first;
		}
		if (index == this.size - 1) {
			return this.last;
		}
		throw new UnsupportedOperationException("Only the first and the last of the batch's " + this.size
				+ " keys were read");
	}

	@Override
	public int size() {
		return this.size;
	}

	@Override
	public String toString() {
		return "[" + this.first + " .. " + this.last + "] (" + this.size + " keys)";
	}

}
