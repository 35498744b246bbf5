package dev.datamigrate;

import java.util.List;

/**
 * One batch of keys of a {@link Batches} run, in key order.
 *
 * @param <K> the key type
 */
public interface Batch<K> {

	/**
	 * Smallest key of the batch's range.
	 * @return the first key
	 */
	K first();

	/**
	 * Largest key of the batch's range.
	 * @return the last key
	 */
	K last();

	/**
	 * Keys of the batch whose rows match the walk's filter, in ascending order, read when first asked for,
	 * in the batch's transaction: ask before changing rows so that they leave the filter.
	 * @return the keys
	 */
	List<K> keys();

	/**
	 * Number of the batch's keys whose rows match the walk's filter, as read with its range or, once
	 * {@link #keys()} has read them, as read then.
	 * @return the size
	 */
	int size();

	/**
	 * Number of this batch in the whole run, counted from 1 across resumes.
	 * @return the batch number
	 */
	long number();

}
