package dev.datamigrate.batch;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;

import dev.datamigrate.Batch;
import dev.datamigrate.Batches;
import dev.datamigrate.history.SqlIdentifier;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * A keyset-paginated walk over a table: each batch takes the next keys after the previous batch's last
 * one ({@code where key > ? order by key limit ?}, never an offset), read ahead by a {@link KeyReadAhead},
 * and runs, with its checkpoint, in a transaction of its own.
 *
 * @param <K> the key type
 */
public class KeysetBatches<K> implements Batches<K> {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final BatchProgress progress;

	private final String table;

	private final String batchSetup;

	private final boolean readAhead;

	private final boolean updateInOneStatement;

	private String keyColumn;

	private KeyType<K> keyType;

	private String condition;

	private int size;

	private Duration pause;

	private KeysetBatches(JdbcTemplate jdbc, TransactionTemplate transactions, BatchProgress progress, String table,
			Defaults defaults, String keyColumn, KeyType<K> keyType) {
		Assert.isTrue(SqlIdentifier.isValid(table), () -> "Batch table '" + table + "' is not a valid SQL identifier");
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.progress = progress;
		this.table = table;
		this.batchSetup = defaults.batchSetup();
		this.readAhead = defaults.readAhead();
		this.updateInOneStatement = defaults.updateInOneStatement();
		this.keyColumn = keyColumn;
		this.keyType = keyType;
		this.size = defaults.size();
		this.pause = defaults.pause();
	}

	/**
	 * Start a walk over a table by its {@code id} column of type {@code Long}.
	 * @param jdbc template on the application's data source
	 * @param transactions template that starts a new transaction for each batch
	 * @param progress the run that owns the walk
	 * @param table the table
	 * @param defaults the configured defaults
	 * @return the walk
	 */
	public static KeysetBatches<Long> over(JdbcTemplate jdbc, TransactionTemplate transactions, BatchProgress progress,
			String table, Defaults defaults) {
		return new KeysetBatches<>(jdbc, transactions, progress, table, defaults, "id", KeyType.of(Long.class));
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> Batches<T> key(String column, Class<T> type) {
		Assert.isTrue(SqlIdentifier.isValid(column), () -> "Batch key column '" + column + "' is not a valid SQL identifier");
		KeysetBatches<T> self = (KeysetBatches<T>) this;
		self.keyColumn = column;
		self.keyType = KeyType.of(type);
		return self;
	}

	@Override
	public Batches<K> where(String condition) {
		this.condition = condition;
		return this;
	}

	@Override
	public Batches<K> size(int size) {
		Assert.isTrue(size > 0, () -> "Batch size must be positive, not " + size);
		this.size = size;
		return this;
	}

	@Override
	public Batches<K> pause(Duration pause) {
		Assert.isTrue(pause != null && !pause.isNegative(), "Pause between batches must be zero or positive");
		this.pause = pause;
		return this;
	}

	@Override
	public long run(BatchHandler<K> handler) {
		try (KeyReadAhead<K> keys = new KeyReadAhead<>(this.table, this.readAhead, this::nextKeys)) {
			return walk((after, number) -> handle(handler, keys, after, number));
		}
	}

	@Override
	public long update(String assignments) {
		Assert.hasText(assignments, "Batch update needs assignments such as \"purpose = 'unknown'\"");
		if (!this.updateInOneStatement) {
			String sql = "update " + this.table + " set " + assignments + " where "
					+ (StringUtils.hasText(this.condition) ? "(" + this.condition + ") and " : "") + this.keyColumn
					+ " between ? and ?";
			return run((batch) -> this.jdbc.update(sql, batch.first(), batch.last()));
		}
		return walk((after, number) -> updateInOneStatement(assignments, after, number));
	}

	/**
	 * Run batches, each in a transaction of its own with its checkpoint, from the checkpoint on until the
	 * table has no more keys or the run is asked to stop.
	 */
	private long walk(BatchStep<K> step) {
		long total = (this.progress.recordedTotal() != null) ? this.progress.recordedTotal() : count();
		this.progress.begin(total, (total + this.size - 1) / this.size);
		K last = (this.progress.checkpoint() != null) ? this.keyType.fromCheckpoint(this.progress.checkpoint()) : null;
		long number = this.progress.batchesDone();
		long changed = 0;
		while (true) {
			if (this.progress.stopRequested()) {
				return changed;
			}
			K after = last;
			long next = number + 1;
			KeyBatch<K> batch = this.transactions.execute((status) -> {
				if (this.batchSetup != null) {
					this.jdbc.execute(this.batchSetup);
				}
				KeyBatch<K> done = step.run(after, next);
				if (done != null) {
					this.progress.record(done, String.valueOf(done.last()));
				}
				return done;
			});
			if (batch == null) {
				return changed;
			}
			this.progress.committed(batch, String.valueOf(batch.last()), batch.changed);
			changed += batch.changed;
			last = batch.last();
			number = batch.number();
			if (!this.pause.isZero()) {
				throttle();
			}
		}
	}

	private void throttle() {
		try {
			Thread.sleep(this.pause.toMillis());
		}
		catch (InterruptedException ex) {
			// asked to stop: the next stop check ends the walk after this committed batch
			Thread.currentThread().interrupt();
		}
	}

	private KeyBatch<K> handle(BatchHandler<K> handler, KeyReadAhead<K> readAhead, K after, long number) {
		List<K> keys = readAhead.next(after);
		if (keys.isEmpty()) {
			return null;
		}
		KeyBatch<K> batch = new KeyBatch<>(keys, keys.get(keys.size() - 1), keys.size(), number);
		readAhead.start(batch.last());
		try {
			batch.changed = handler.handle(batch);
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new BatchFailedException(ex);
		}
		return batch;
	}

	/**
	 * One statement that selects the batch's keys and updates their rows, so that the database reads
	 * each row once: {@code with batch as (select key ... limit n), changed as (update ... where key in
	 * batch and condition returning 1)}, answering the batch's last key, its size and the rows changed.
	 */
	private KeyBatch<K> updateInOneStatement(String assignments, K after, long number) {
		String condition = StringUtils.hasText(this.condition) ? " and (" + this.condition + ")" : "";
		String sql = "with batch as (select " + this.keyColumn + " from " + this.table + filter(after != null)
				+ " order by " + this.keyColumn + " limit " + this.size + "), changed as (update " + this.table
				+ " set " + assignments + " where " + this.keyColumn + " in (select " + this.keyColumn
				+ " from batch)" + condition + " returning 1) select (select " + this.keyColumn + " from batch order by "
				+ this.keyColumn + " desc limit 1), (select count(*) from batch), (select count(*) from changed)";
		RowMapper<KeyBatch<K>> batch = (rs, row) -> {
			int size = rs.getInt(2);
			if (size == 0) {
				return null;
			}
			KeyBatch<K> done = new KeyBatch<>(null, this.keyType.fromColumn(rs.getObject(1)), size, number);
			done.changed = rs.getLong(3);
			return done;
		};
		List<KeyBatch<K>> done = (after != null) ? this.jdbc.query(sql, batch, after) : this.jdbc.query(sql, batch);
		return done.get(0);
	}

	private long count() {
		Long count = this.jdbc.queryForObject("select count(*) from " + this.table + filter(false), Long.class);
		return (count != null) ? count : 0;
	}

	private List<K> nextKeys(K after, Runnable connected) {
		String sql = "select " + this.keyColumn + " from " + this.table + filter(after != null) + " order by "
				+ this.keyColumn + " limit " + this.size;
		// a plain row mapper: queryForList(sql, Object.class) goes through JdbcUtils' generic value
		// extraction for every key, which doubled the CPU of reading a batch's keys
		RowMapper<K> key = (rs, row) -> this.keyType.fromColumn(rs.getObject(1));
		return this.jdbc.query((connection) -> {
			connected.run();
			PreparedStatement statement = connection.prepareStatement(sql);
			if (after != null) {
				StatementCreatorUtils.setParameterValue(statement, 1, SqlTypeValue.TYPE_UNKNOWN, after);
			}
			return statement;
		}, key);
	}

	private String filter(boolean afterKey) {
		String where = StringUtils.hasText(this.condition) ? "(" + this.condition + ")" : null;
		if (afterKey) {
			where = ((where != null) ? where + " and " : "") + this.keyColumn + " > ?";
		}
		return (where != null) ? " where " + where : "";
	}

	/**
	 * What a walk starts with unless the migration says otherwise.
	 *
	 * @param size keys per batch
	 * @param pause pause between batches
	 * @param batchSetup a statement that starts each batch's transaction, or {@code null}
	 * @param readAhead whether the next batch's keys are read on a second connection while a batch runs
	 * @param updateInOneStatement whether the database updates a batch's rows in the statement that
	 * selects its keys ({@link #update(String)})
	 */
	public record Defaults(int size, Duration pause, String batchSetup, boolean readAhead,
			boolean updateInOneStatement) {
	}

	/**
	 * The work of one batch in its transaction, before its checkpoint is written.
	 */
	@FunctionalInterface
	private interface BatchStep<K> {

		/**
		 * Run the batch after a key.
		 * @return the batch, or {@code null} when there are no more keys
		 */
		KeyBatch<K> run(K after, long number);

	}

	private static final class KeyBatch<K> implements Batch<K> {

		private final List<K> keys;

		private final K last;

		private final int size;

		private final long number;

		private long changed;

		/**
		 * A batch with its keys, or with its last key and size only ({@code keys} {@code null}) when
		 * no handler sees it.
		 */
		KeyBatch(List<K> keys, K last, int size, long number) {
			this.keys = keys;
			this.last = last;
			this.size = size;
			this.number = number;
		}

		@Override
		public K first() {
			return keys().get(0);
		}

		@Override
		public K last() {
			return this.last;
		}

		@Override
		public List<K> keys() {
			Assert.state(this.keys != null, "A batch of a one-statement update has no key list");
			return this.keys;
		}

		@Override
		public int size() {
			return this.size;
		}

		@Override
		public long number() {
			return this.number;
		}

	}

}
