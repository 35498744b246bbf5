package dev.datamigrate.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.datamigrate.Batches;
import dev.datamigrate.Throttle;
import dev.datamigrate.database.Database;
import dev.datamigrate.history.SqlIdentifier;
import dev.datamigrate.throttle.Throttles;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * A walk over a table as a migration configures it; {@link #run} and {@link #update} hand it to a
 * {@link BatchWalk}.
 *
 * @param <K> the key type
 */
public final class KeysetBatches<K> implements Batches<K> {

	private final Engine engine;

	private final String table;

	private String keyColumn = "id";

	private KeyType<K> keyType;

	private String condition;

	private Integer size;

	private Duration pause;

	private boolean builtInThrottles = true;

	private @Nullable Integer workers;

	private final List<Throttle> ownThrottles = new ArrayList<>();

	private KeysetBatches(Engine engine, String table, KeyType<K> keyType) {
		Assert.isTrue(SqlIdentifier.isValid(table), () -> "Batch table '" + table + "' is not a valid SQL identifier");
		this.engine = engine;
		this.table = table;
		this.keyType = keyType;
		this.size = engine.settings().size();
		this.pause = engine.settings().pause();
	}

	/**
	 * Start a walk over a table by its {@code id} column of type {@code Long}.
	 * @param engine what runs the walk
	 * @param table the table
	 * @return the walk
	 */
	public static KeysetBatches<Long> over(Engine engine, String table) {
		return new KeysetBatches<>(engine, table, KeyType.of(Long.class));
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
	public Batches<K> throttle(boolean builtIns) {
		this.builtInThrottles = builtIns;
		return this;
	}

	@Override
	public Batches<K> throttle(Throttle throttle) {
		Assert.notNull(throttle, "Throttle must not be null");
		this.ownThrottles.add(throttle);
		return this;
	}

	@Override
	public Batches<K> parallel() {
		return parallel(this.engine.settings().workers());
	}

	@Override
	public Batches<K> parallel(int workers) {
		Assert.isTrue(workers > 0, () -> "A parallel walk needs at least 1 worker per instance, not " + workers
				+ "; call parallel(n) with n of 1 or more, or walk without parallel()");
		this.workers = workers;
		return this;
	}

	@Override
	public long run(BatchHandler<K> handler) {
		return walk(handler);
	}

	@Override
	public long update(String sql) {
		return update(sql, Map.of());
	}

	@Override
	public long update(String sql, Map<String, ?> parameters) {
		BatchStatement statement = new BatchStatement(sql, parameters);
		JdbcTemplate jdbc = this.engine.jdbc();
		return walk((batch) -> statement.update(jdbc, batch));
	}

	private long walk(BatchHandler<K> work) {
		BatchQueries<K> queries = new BatchQueries<>(this.engine.database(), this.table, this.keyColumn, this.keyType,
				this.condition);
		if (this.workers == null) {
			// a joining instance works the ranges of parallel walks only
			return this.engine.joining() ? 0 : walker(this.engine, queries, sizer()).walk(work);
		}
		KeySplit<K> split = new KeySplit<>(this.engine.database(), this.table, this.keyColumn, this.keyType);
		return new ParallelWalk<>(this.engine, split, queries, this.keyType, this::walker, this::sizer, this.workers)
			.walk(work);
	}

	private BatchSizer sizer() {
		return new BatchSizer(this.engine.settings(), this.size);
	}

	private BatchWalk<K> walker(Engine engine, BatchQueries<K> queries, BatchSizer sizer) {
		Throttles throttles = engine.throttles();
		WalkThrottle throttle = new WalkThrottle(throttles.forWalk(this.builtInThrottles, this.ownThrottles),
				throttles.interval(), this.table, engine.progress(), engine.transactions());
		return new BatchWalk<>(engine, queries, this.keyType, this.size, sizer, this.pause.toMillis(), throttle);
	}

	/**
	 * What runs the walks of a migration's run.
	 *
	 * @param jdbc template on the application's data source
	 * @param transactions template that starts a new transaction for each batch
	 * @param database the database
	 * @param progress the run that owns the walk
	 * @param settings the configured defaults
	 * @param throttles what may hold a walk back
	 * @param parallel what the instance's parallel walks share
	 * @param joining whether the run joins the parallel walk of another instance, working its ranges only
	 */
	public record Engine(JdbcTemplate jdbc, TransactionTemplate transactions, Database database, BatchProgress progress,
			BatchSettings settings, Throttles throttles, ParallelWalks parallel, boolean joining) {

		Engine with(BatchProgress progress) {
			return new Engine(this.jdbc, this.transactions, this.database, progress, this.settings, this.throttles,
					this.parallel, this.joining);
		}

	}

}
