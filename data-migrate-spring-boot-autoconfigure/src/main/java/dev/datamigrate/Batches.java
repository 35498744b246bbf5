package dev.datamigrate;

import java.time.Duration;
import java.util.Map;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A keyset-paginated walk over a table, configured fluently and started by {@link #run(BatchHandler)}
 * or {@link #update(String)}. Each batch is the range of the table's next keys after the previous
 * batch's last one, in key order, whether or not their rows match the walk's {@link #where filter}: a
 * batch's work must apply the filter itself, as {@code update ... where purpose is null and id between
 * :first and :last} does. Each batch is one transaction with its checkpoint, whose statements wait at most
 * {@code data-migrate.batch.lock-timeout} for a row lock and run at most
 * {@code data-migrate.batch.statement-timeout}; a batch that fails with a transient error (lock timeout,
 * deadlock, serialization failure, statement timeout, lost connection) rolls back and is tried again,
 * up to {@code data-migrate.batch.retry.max-attempts} times.
 *
 * @param <K> the key type
 */
public interface Batches<K> {

	/**
	 * Walk the table by this key column instead of {@code id}. The column must be unique and its
	 * values comparable in SQL.
	 * @param column the key column
	 * @param type the key type: {@code Long}, {@code Integer}, {@code String} or {@code UUID}
	 * @param <T> the key type
	 * @return this walk, with the new key
	 */
	<T> Batches<T> key(String column, Class<T> type);

	/**
	 * Count only rows matching an SQL condition: in the total, in each batch's {@link Batch#size() size}
	 * and {@link Batch#keys() keys}, and in the records processed. A batch whose range holds no matching row
	 * commits its checkpoint without running the work.
	 * @param condition an SQL condition such as {@code purpose is null}
	 * @return this walk
	 */
	Batches<K> where(String condition);

	/**
	 * Fix the number of keys per batch (the range's keys, matching the filter or not). By default,
	 * unless {@code data-migrate.batch.size} is set, batches are sized so that one takes about
	 * {@code data-migrate.batch.target-duration}, between {@code data-migrate.batch.min-size} and
	 * {@code data-migrate.batch.max-size} keys.
	 * @param size the batch size
	 * @return this walk
	 */
	Batches<K> size(int size);

	/**
	 * Pause between batches; {@code data-migrate.batch.pause} by default.
	 * @param pause the pause
	 * @return this walk
	 */
	Batches<K> pause(Duration pause);

	/**
	 * Turn the built-in database checks of {@code data-migrate.throttle} off or on for this walk; the
	 * application's {@link Throttle} beans and the walk's own still hold it back.
	 * @param builtIns whether the built-in checks run, {@code true} by default
	 * @return this walk
	 */
	Batches<K> throttle(boolean builtIns);

	/**
	 * Add a throttle of this walk's own, asked with the others before its batches.
	 * @param throttle the check
	 * @return this walk
	 */
	Batches<K> throttle(Throttle throttle);

	/**
	 * Walk the table with {@code data-migrate.batch.workers} workers on this instance, as
	 * {@link #parallel(int)} does.
	 * @return this walk
	 */
	Batches<K> parallel();

	/**
	 * Walk the table with several workers at once: its keys are split into ranges, recorded beside the
	 * history, and each worker claims a range, walks it batch by batch with the range's own checkpoint, and
	 * claims the next. Other instances of the application join the walk with as many workers each, unless
	 * {@code data-migrate.batch.join-from-other-instances} is {@code false}; a range whose worker died is taken
	 * over after {@code data-migrate.lock.lease-duration}. Every key is walked once, in no particular order
	 * across ranges, and the handler runs on several threads at once. A joining instance calls the task's
	 * {@code migrate} method to find the walk, so keep anything but the walk out of a migration that walks
	 * in parallel. Its batches cannot call {@link DataMigrationContext#checkpoint(String)} or
	 * {@link DataMigrationContext#progress(long, long)}: each range keeps its own.
	 * @param workers workers on this instance, at least 1
	 * @return this walk
	 * @throws IllegalArgumentException when {@code workers} is below 1
	 */
	Batches<K> parallel(int workers);

	/**
	 * Run the handler for every batch, each in its own transaction with its checkpoint. It returns
	 * early, leaving the migration unfinished, when the run is asked to stop (pause or shutdown).
	 * @param handler the work of one batch, returning the number of rows it changed
	 * @return the number of rows changed in this run
	 */
	long run(BatchHandler<K> handler);

	/**
	 * Run one SQL statement for every batch, each in its own transaction with its checkpoint, with the
	 * batch's keys bound to the named parameters {@code :first}, {@code :last} and {@code :keys} (the
	 * batch's keys that match the filter, as a list, for {@code in (:keys)}), as in {@code update
	 * notify_log_entries set purpose = 'unknown' where id between :first and :last and purpose is null}. It
	 * returns early, leaving the migration unfinished, when the run is asked to stop.
	 * <p>
	 * Parameters are named only. {@code :keys} binds one value per key, so a batch's size must stay below
	 * the driver's limit of values per statement (65,535 for PgJDBC).
	 * @param sql a statement that changes rows and returns none, naming at least one of the batch's keys
	 * @return the number of rows changed in this run
	 * @throws IllegalArgumentException when the statement names no key of the batch, or a parameter
	 * this walk has no value for
	 */
	long update(String sql);

	/**
	 * Run one SQL statement for every batch, as {@link #update(String)} does, with values for further
	 * named parameters of the statement.
	 * @param sql a statement that changes rows and returns none, naming at least one of the batch's keys
	 * @param parameters values of the statement's other named parameters, by name; a {@code null} value is
	 * SQL {@code NULL}, and a list binds one value per element, for {@code in (:statuses)}
	 * @return the number of rows changed in this run
	 * @throws IllegalArgumentException when the statement names no key of the batch, or a parameter
	 * this walk has no value for, or a parameter is named {@code first}, {@code last} or {@code keys}
	 */
	long update(String sql, Map<String, ? extends @Nullable Object> parameters);

	/**
	 * The work done for one batch.
	 *
	 * @param <K> the key type
	 */
	@FunctionalInterface
	interface BatchHandler<K> {

		/**
		 * Process one batch.
		 * @param batch the batch
		 * @return the number of rows changed
		 * @throws Exception on failure: the batch rolls back, and is tried again if the error is transient
		 */
		long handle(Batch<K> batch) throws Exception;

	}

	/**
	 * One batch of keys of a {@link Batches} run, in key order.
	 *
	 * @param <K> the key type
	 */
	interface Batch<K> {

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

}
