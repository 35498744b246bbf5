package dev.datamigrate;

import java.util.List;

/**
 * One batch of keys of a {@link Batches} run, in key order.
 *
 * @param <K> the key type
 */
public interface Batch<K> {

	/**
	 * Smallest key of the batch.
	 * @return the first key
	 */
	K first();

	/**
	 * Largest key of the batch.
	 * @return the last key
	 */
	K last();

	/**
	 * Keys of the batch, in ascending order. Over numeric keys the walk reads only a batch's first and last
	 * key and their number ahead, and its keys when first asked for, in the batch's transaction, as they are
	 * then: ask before changing rows so that they leave the walk's filter.
	 * @return the keys
	 */
	List<K> keys();

	/**
	 * Number of keys in the batch, as read with its first and last key or, once {@link #keys()} has read
	 * them, as read then.
	 * @return the size
	 */
	int size();

	/**
	 * Number of this batch in the whole run, counted from 1 across resumes.
	 * @return the batch number
	 */
	long number();

}
