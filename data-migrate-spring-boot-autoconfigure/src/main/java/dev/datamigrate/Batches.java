package dev.datamigrate;

import java.time.Duration;
import java.util.Map;

/**
 * A keyset-paginated walk over a table, configured fluently and started by {@link #run(BatchHandler)}
 * or {@link #update(String)}. Each batch holds the keys after the previous batch's last one, in key
 * order. Unless {@code data-migrate.batch.read-ahead} is off, they are read on a second connection while
 * the previous batch runs, before it commits, so a batch's statement should check the walk's condition
 * again, as {@code update ... where purpose is null and id between :first and :last} does.
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
	 * Restrict the walk to rows matching an SQL condition, also used to count the total.
	 * @param condition an SQL condition such as {@code purpose is null}
	 * @return this walk
	 */
	Batches<K> where(String condition);

	/**
	 * Number of keys per batch; {@code data-migrate.batch.size} by default.
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
	 * Run the handler for every batch, each in its own transaction with its checkpoint. It returns
	 * early, leaving the migration unfinished, when the run is asked to stop (pause or shutdown).
	 * @param handler the work of one batch, returning the number of rows it changed
	 * @return the number of rows changed in this run
	 * @throws BatchFailedException wrapping a checked exception the handler threw; unchecked ones are
	 * thrown as they are
	 */
	long run(BatchHandler<K> handler);

	/**
	 * Run one SQL statement for every batch, each in its own transaction with its checkpoint, with the
	 * batch's keys bound to the named parameters {@code :first}, {@code :last} and {@code :keys} (the
	 * batch's keys as a list, for {@code in (:keys)}), as in {@code update notify_log_entries set purpose =
	 * 'unknown' where id between :first and :last and purpose is null}. On PostgreSQL (with PgJDBC) the
	 * statement, the checkpoint and the counters go to the database in one round trip. From the second batch
	 * of a walk on, the database runs the batches itself, in {@code DO} blocks of about half a second, each batch
	 * committing alone with its checkpoint while the run owns the migration, where the statement binds only
	 * {@code :first} and {@code :last} and holds no {@code ;} or {@code ?}, the keys are numbers and batches have no
	 * pause between them ({@code data-migrate.batch.in-database}); their events are logged when a block
	 * returns. Otherwise they commit in the round trip that sends them, in a transaction of their own, and
	 * the next batch's keys (only its first, its last and their number, for numeric keys and a statement
	 * without {@code :keys}) come back with them: one round trip a batch, where a {@link #run handler} needs
	 * three. The first batch runs in an ordinary transaction, so that a statement that returns rows fails it
	 * before any batch has committed. It returns early, leaving the migration unfinished, when the run is
	 * asked to stop.
	 * <p>
	 * Parameters are named only: a {@code ?} fails the first batch. {@code :keys} binds one value per key,
	 * so a batch's size must stay below the driver's limit of values per statement (65,535 for PgJDBC).
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
	long update(String sql, Map<String, ?> parameters);

	/**
	 * A batch handler threw a checked exception; the batch rolled back. The runner records the cause as
	 * the migration's error.
	 */
	class BatchFailedException extends RuntimeException {

		/**
		 * Wrap what a batch handler threw.
		 * @param cause the handler's exception
		 */
		public BatchFailedException(Exception cause) {
			super(cause.toString(), cause);
		}

	}

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
		 * @throws Exception on failure: the batch rolls back and the migration fails
		 */
		long handle(Batch<K> batch) throws Exception;

	}

}
