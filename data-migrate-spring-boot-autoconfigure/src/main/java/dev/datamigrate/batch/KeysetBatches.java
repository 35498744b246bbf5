package dev.datamigrate.batch;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiFunction;

import dev.datamigrate.Batch;
import dev.datamigrate.Batches;
import dev.datamigrate.batch.BatchStatement.KeyedStatement;
import dev.datamigrate.history.BatchCommit;
import dev.datamigrate.history.BatchLoop;
import dev.datamigrate.history.BoundStatement;
import dev.datamigrate.history.LoopedBatch;
import dev.datamigrate.history.SqlIdentifier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * A keyset-paginated walk over a table: each batch takes the next keys after the previous batch's last
 * one ({@code where key > ? order by key limit ?}, never an offset), read ahead by a {@link KeyReadAhead},
 * and runs, with its checkpoint, in a transaction of its own. Where the history allows it, from the second
 * batch of a walk on, batches that are one statement on their first and last key run in a loop of the
 * database's own, and others that are one statement commit in the round trip that sends them, with the
 * next batch's keys read in it.
 *
 * @param <K> the key type
 */
public class KeysetBatches<K> implements Batches<K> {

	/**
	 * How long a loop the database runs starts batches for. A shutdown waits for it; a pause or takeover
	 * does not, since each batch's guard sees it. Each loop costs a few milliseconds of the database's time
	 * before and after it, which half a second makes small.
	 */
	private static final Duration LOOP_BUDGET = Duration.ofMillis(500);

	/**
	 * SQLSTATE classes of a loop that the database cannot run: syntax error or access rule violation,
	 * feature not supported, invalid transaction termination, invalid transaction state.
	 */
	private static final Set<String> CANNOT_LOOP = Set.of("42", "0A", "2D", "25");

	private static final Log logger = LogFactory.getLog(KeysetBatches.class);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final TransactionTemplate noTransaction;

	private final BatchProgress progress;

	private final String table;

	private final boolean readAhead;

	private String keyColumn;

	private KeyType<K> keyType;

	private String condition;

	private int size;

	private Duration pause;

	/**
	 * Whether batches need every key, not just their bounds: a statement names {@code :keys}, a handler has
	 * asked for them, or the keys are not numbers. Written by the walk, read by the read-ahead thread too.
	 */
	private volatile boolean keysWanted;

	private KeysetBatches(JdbcTemplate jdbc, TransactionTemplate transactions, BatchProgress progress, String table,
			Defaults defaults, String keyColumn, KeyType<K> keyType) {
		Assert.isTrue(SqlIdentifier.isValid(table), () -> "Batch table '" + table + "' is not a valid SQL identifier");
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.noTransaction = new TransactionTemplate(transactions.getTransactionManager());
		this.noTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
		this.progress = progress;
		this.table = table;
		this.readAhead = defaults.readAhead();
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
		return walk((batch) -> {
			long changed = handler.handle(batch);
			this.progress.record(batch, checkpoint(batch), null);
			return changed;
		}, null, null, false);
	}

	@Override
	public long update(String sql) {
		return update(sql, Map.of());
	}

	@Override
	public long update(String sql, Map<String, ?> parameters) {
		BatchStatement statement = new BatchStatement(sql, parameters);
		return walk((batch) -> this.progress.record(batch, checkpoint(batch), statement.bind(batch)),
				this.progress.commitsAlone() ? statement : null, loopOf(statement), statement.namesKeys());
	}

	/**
	 * The batches of a statement as the database can run them itself, or {@code null} where it cannot: a
	 * loop needs the keys' bounds and nothing else, and runs no pause between batches.
	 */
	private BatchLoop loopOf(BatchStatement statement) {
		if (!this.keyType.hasMinAndMax() || !this.pause.isZero() || !this.progress.loopsInDatabase()) {
			return null;
		}
		KeyedStatement keyed = statement.onFirstAndLast();
		return (keyed != null) ? new BatchLoop(keyRead(true, true), this.keyType.sqlType(), keyed.statement(),
				keyed.keys(), null, 0, LOOP_BUDGET) : null;
	}

	/**
	 * Walk the table, doing each batch's work and recording it in the batch's transaction or, from the
	 * second batch on, if the work is a statement that can commit alone, with its record and the next
	 * batch's keys in one round trip, or in a loop the database runs.
	 */
	private long walk(BatchHandler<K> inTransaction, BatchStatement alone, BatchLoop loop, boolean keysNamed) {
		this.keysWanted = keysNamed || !this.keyType.hasMinAndMax();
		WalkReports reports = new WalkReports(this.progress, this.size);
		try {
			return walk(inTransaction, alone, loop, reports);
		}
		catch (RuntimeException | Error ex) {
			try {
				reports.stopped();
			}
			catch (RuntimeException report) {
				ex.addSuppressed(report);
			}
			throw ex;
		}
	}

	private long walk(BatchHandler<K> inTransaction, BatchStatement alone, BatchLoop loop, WalkReports reports) {
		BatchLoop inDatabase = loop;
		K resumedAfter = (this.progress.checkpoint() != null) ? this.keyType.fromCheckpoint(this.progress.checkpoint())
				: null;
		K last = resumedAfter;
		long number = this.progress.batchesDone();
		long firstNumber = number + 1;
		long changed = 0;
		try (KeyReadAhead<K> keys = new KeyReadAhead<>(this.table, this.readAhead, this::nextKeys)) {
			while (true) {
				if (this.progress.stopRequested()) {
					reports.stopped();
					return changed;
				}
				K after = last;
				long next = number + 1;
				if (inDatabase != null && next > firstNumber) {
					OptionalLong looped = loop(inDatabase.from((Number) after, next), reports);
					if (looped.isPresent()) {
						return changed + looped.getAsLong();
					}
					inDatabase = null;
				}
				// the first batch always runs in a transaction: a statement that returns rows is seen only after
				// it has run, and must fail its batch before any batch has committed without a transaction
				KeyBatch<K> batch = (alone != null && next > firstNumber)
						? this.noTransaction
							.execute((status) -> runBatch(keys, after, next, (work) -> commitAlone(alone, keys, work)))
						: this.transactions.execute((status) -> {
							if (next == firstNumber) {
								// holding the batch's connection, so that a count beside it cannot take the last one
								countTotal(reports, resumedAfter);
							}
							return runBatch(keys, after, next, (work) -> {
								if (loop == null) {
									keys.start(work.last());
								}
								return inTransaction.handle(work);
							});
						});
				if (batch == null) {
					reports.finished();
					return changed;
				}
				reports.committed(batch.number(), batch.size(), checkpoint(batch), batch.changed, Instant.now());
				changed += batch.changed;
				last = batch.last();
				number = batch.number();
				if (!this.pause.isZero()) {
					throttle();
				}
			}
		}
	}

	/**
	 * Let the database run the walk's batches, a loop at a time, looking for a stop request between loops.
	 * @return the rows changed, or empty when the database cannot run the loop: it committed nothing
	 */
	private OptionalLong loop(BatchLoop first, WalkReports reports) {
		BatchLoop loop = first;
		long changed = 0;
		while (true) {
			BatchLoop sent = loop;
			List<LoopedBatch> batches = new ArrayList<>();
			boolean walked;
			try {
				walked = Boolean.TRUE
					.equals(this.noTransaction.execute((status) -> this.progress.commitLoop(sent, batches::add)));
			}
			catch (RuntimeException ex) {
				SQLException cannotLoop = (loop == first && batches.isEmpty()) ? cannotLoop(ex) : null;
				if (cannotLoop != null) {
					logger.warn("The batches of the walk over " + this.table + " cannot run in the database, so "
							+ "each commits in a round trip of its own; set data-migrate.batch.in-database=false to "
							+ "skip the loop: " + cannotLoop.getMessage());
					return OptionalLong.empty();
				}
				try {
					report(batches, reports);
				}
				catch (RuntimeException reporting) {
					ex.addSuppressed(reporting);
				}
				throw ex;
			}
			changed += report(batches, reports);
			if (walked) {
				reports.finished();
				return OptionalLong.of(changed);
			}
			Assert.state(!batches.isEmpty(), () -> "The database ran no batch of the walk over " + this.table
					+ " and reported no end; are notices suppressed on the connection?");
			LoopedBatch last = batches.get(batches.size() - 1);
			if (this.progress.stopRequested()) {
				reports.stopped();
				return OptionalLong.of(changed);
			}
			loop = loop.from((Number) this.keyType.fromCheckpoint(last.checkpoint()), last.number() + 1);
		}
	}

	/**
	 * The error of a loop that failed because the database cannot run it, not for its batch: a syntax or
	 * access error (no right to PL/pgSQL), a feature the database lacks, or a transaction it may not commit
	 * in; or {@code null}.
	 */
	private static SQLException cannotLoop(RuntimeException ex) {
		Throwable cause = (ex instanceof DataAccessException access) ? access.getMostSpecificCause() : ex;
		return (cause instanceof SQLException sql && sql.getSQLState() != null
				&& CANNOT_LOOP.contains(sql.getSQLState().substring(0, 2))) ? sql : null;
	}

	private static long report(List<LoopedBatch> batches, WalkReports reports) {
		long changed = 0;
		for (LoopedBatch batch : batches) {
			reports.committed(batch.number(), batch.size(), batch.checkpoint(), batch.changed(), batch.committedAt());
			changed += batch.changed();
		}
		return changed;
	}

	private static String checkpoint(Batch<?> batch) {
		return String.valueOf(batch.last());
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

	private KeyBatch<K> runBatch(KeyReadAhead<K> readAhead, K after, long number, BatchHandler<K> work) {
		List<K> keys = readAhead.next(after);
		if (keys.isEmpty()) {
			return null;
		}
		KeyBatch<K> batch = new KeyBatch<>(after, keys, number, this::keysUpTo);
		try {
			batch.changed = work.handle(batch);
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new BatchFailedException(ex);
		}
		return batch;
	}

	private long commitAlone(BatchStatement statement, KeyReadAhead<K> readAhead, Batch<K> batch) {
		boolean bounds = !this.keysWanted;
		BatchCommit commit = this.progress.commitAlone(batch, checkpoint(batch), statement.bind(batch),
				BoundStatement.of(keyRead(bounds, true), batch.last()));
		readAhead.readWith(batch.last(), bounds ? range(commit.read().get(0)) : keys(commit.read()));
		return commit.changed();
	}

	/**
	 * The read of the keys after one: every key, or, where batches need no more, only the first, the last
	 * and their number, which costs less to read and to send, and runs beside a batch slowing it less.
	 */
	private String keyRead(boolean bounds, boolean afterKey) {
		return bounds ? "select min(" + this.keyColumn + "), max(" + this.keyColumn + "), count(*) from ("
				+ keySelect(afterKey) + ") next_batch" : keySelect(afterKey);
	}

	private List<K> keys(List<List<Object>> rows) {
		return rows.stream().map((row) -> this.keyType.fromColumn(row.get(0))).toList();
	}

	/**
	 * The keys of a batch read as its bounds, for a handler that asks for them: those after the previous
	 * batch's last key up to the batch's last, as they are now. From then on the walk reads every key of its
	 * batches.
	 */
	private List<K> keysUpTo(K after, K last) {
		this.keysWanted = true;
		String upToLast = this.keyColumn + " <= ?";
		String sql = "select " + this.keyColumn + " from " + this.table
				+ ((after != null) ? whereClause(afterKey(), upToLast) : whereClause(upToLast)) + " order by "
				+ this.keyColumn;
		return (after != null) ? this.jdbc.query(sql, keyMapper(), after, last)
				: this.jdbc.query(sql, keyMapper(), last);
	}

	private List<K> range(List<Object> bounds) {
		int size = ((Number) bounds.get(2)).intValue();
		return (size > 0) ? new KeyRange<>(this.keyType.fromColumn(bounds.get(0)),
				this.keyType.fromColumn(bounds.get(1)), size) : List.of();
	}

	/**
	 * Start the walk with the total its run recorded, or count it, in the first batch's transaction: where
	 * keys are read ahead and the database takes a snapshot at a transaction's first statement, beside the
	 * first batches. A walk that starts without a recorded total after a checkpoint (its run's count was
	 * cancelled or killed) counts the rows it has left and adds those its earlier runs processed.
	 */
	private void countTotal(WalkReports reports, K after) {
		if (this.progress.recordedTotal() != null) {
			reports.beginRecorded(this.progress.recordedTotal());
			return;
		}
		BoundStatement left = (after != null)
				? BoundStatement.of("select count(*) from " + this.table + whereClause(afterKey()), after)
				: BoundStatement.of("select count(*) from " + this.table + whereClause());
		BackgroundCount beside = (this.readAhead && this.progress.countsInSnapshot())
				? BackgroundCount.start(this.table, this.jdbc, left, this::recordTotal) : null;
		if (beside != null) {
			reports.beginCounting(beside);
			return;
		}
		Long rows = this.jdbc.queryForObject(left.sql(), Long.class, left.args().toArray());
		reports.beginCounted(this.progress.recordsProcessed() + ((rows != null) ? rows : 0));
	}

	private long recordTotal(long left) {
		long total = this.progress.recordsProcessed() + left;
		this.progress.recordTotal(total);
		return total;
	}

	private List<K> nextKeys(K after, Runnable connected) {
		boolean bounds = !this.keysWanted;
		String sql = keyRead(bounds, after != null);
		PreparedStatementCreator select = (connection) -> {
			connected.run();
			PreparedStatement statement = connection.prepareStatement(sql);
			if (after != null) {
				StatementCreatorUtils.setParameterValue(statement, 1, SqlTypeValue.TYPE_UNKNOWN, after);
			}
			return statement;
		};
		if (bounds) {
			return this.jdbc.query(select, (ResultSetExtractor<List<K>>) (rs) -> rs.next()
					? range(Arrays.asList(rs.getObject(1), rs.getObject(2), rs.getLong(3))) : List.of());
		}
		return this.jdbc.query(select, keyMapper());
	}

	private String keySelect(boolean afterKey) {
		return "select " + this.keyColumn + " from " + this.table + (afterKey ? whereClause(afterKey()) : whereClause())
				+ " order by " + this.keyColumn + " limit " + this.size;
	}

	/**
	 * The walk's filter, if it has one, and the conditions on the key.
	 */
	private String whereClause(String... keyConditions) {
		List<String> conditions = new ArrayList<>(List.of(keyConditions));
		if (StringUtils.hasText(this.condition)) {
			conditions.add(0, "(" + this.condition + ")");
		}
		return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
	}

	private String afterKey() {
		return this.keyColumn + " > ?";
	}

	/**
	 * A plain row mapper: queryForList(sql, Object.class) goes through JdbcUtils' generic value extraction
	 * for every key, which doubled the CPU of reading a batch's keys.
	 */
	private RowMapper<K> keyMapper() {
		return (rs, row) -> this.keyType.fromColumn(rs.getObject(1));
	}


	/**
	 * What a walk starts with unless the migration says otherwise.
	 *
	 * @param size keys per batch
	 * @param pause pause between batches
	 * @param readAhead whether the next batch's keys are read on a second connection while a batch runs
	 */
	public record Defaults(int size, Duration pause, boolean readAhead) {
	}

	/**
	 * A batch, read as all its keys or, where it needs no more, as its bounds, whose keys are then read
	 * when they are asked for.
	 */
	private static final class KeyBatch<K> implements Batch<K> {

		private final K after;

		private final K first;

		private final K last;

		private final int size;

		private final long number;

		private final BiFunction<K, K, List<K>> keysUpTo;

		private List<K> keys;

		private long changed;

		KeyBatch(K after, List<K> keys, long number, BiFunction<K, K, List<K>> keysUpTo) {
			this.after = after;
			this.first = keys.get(0);
			this.last = keys.get(keys.size() - 1);
			this.size = keys.size();
			this.number = number;
			this.keysUpTo = keysUpTo;
			this.keys = (keys instanceof KeyRange) ? null : keys;
		}

		@Override
		public K first() {
			return this.first;
		}

		@Override
		public K last() {
			return this.last;
		}

		@Override
		public List<K> keys() {
			if (this.keys == null) {
				this.keys = this.keysUpTo.apply(this.after, this.last);
			}
			return this.keys;
		}

		@Override
		public int size() {
			return (this.keys != null) ? this.keys.size() : this.size;
		}

		@Override
		public long number() {
			return this.number;
		}

	}

}
