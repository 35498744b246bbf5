package dev.datamigrate.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;

import dev.datamigrate.DataMigrationListener;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.RunResult.Outcome;
import dev.datamigrate.batch.ParallelWalks;
import dev.datamigrate.database.Database;
import dev.datamigrate.history.HistoryRecord;
import dev.datamigrate.history.MigrationHistory;
import dev.datamigrate.lock.MigrationLock;
import dev.datamigrate.throttle.Throttles;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The run loop: under the cluster-wide lock, records new migrations as PENDING, then runs the queue
 * in version order until it is done, a migration fails, or something holds it.
 */
public class DataMigrationRunner {

	private static final Log logger = LogFactory.getLog(DataMigrationRunner.class);

	/** What {@code execute} answers for a migration an operator marked done before its turn came. */
	private static final RunResult SKIPPED_MEANWHILE = new RunResult(Outcome.COMPLETED, List.of(), null, null);

	private final DataMigrationRegistry registry;

	private final MigrationHistory history;

	private final MigrationLock lock;

	private final TransactionTemplate transaction;

	private final RunContext context;

	private final SchemaTool schema;

	private final SchemaWait schemaWait;

	private final TaskExecution tasks;

	private final TaskScheduler heartbeats;

	private final String executedBy = ThisInstance.executedBy();

	private @Nullable ScheduledFuture<?> joining;

	/**
	 * Create a runner.
	 * @param registry the application's migrations
	 * @param history the history table
	 * @param database the database
	 * @param lock the cluster-wide lock
	 * @param jdbc template on the application's data source
	 * @param transactionManager the application's transaction manager
	 * @param settings how to run
	 * @param shutdownRequested whether the application is shutting down
	 * @param listener told what the runner does
	 * @param schema the schema tool, waited for before a run and whose post-deploy changes it applies once the
	 * queue is done
	 * @param throttles what may hold a walk back
	 * @param heartbeats where a running migration's heartbeat is scheduled
	 * @param parallel what the instance's parallel walks share
	 */
	public DataMigrationRunner(DataMigrationRegistry registry, MigrationHistory history, Database database,
			MigrationLock lock, JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
			RunnerSettings settings, BooleanSupplier shutdownRequested, DataMigrationListener listener,
			SchemaTool schema, Throttles throttles, TaskScheduler heartbeats, ParallelWalks parallel) {
		this.registry = registry;
		this.history = history;
		this.lock = lock;
		this.transaction = new TransactionTemplate(transactionManager);
		this.transaction.setName(MigrationRun.OWN_TRANSACTION);
		// never the transaction of whoever called runPending()
		this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		TransactionTemplate newTransaction = new TransactionTemplate(transactionManager);
		newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.context = new RunContext(history, database, jdbc, newTransaction, settings, shutdownRequested, listener,
				throttles, parallel);
		this.schema = schema;
		this.schemaWait = new SchemaWait(schema, settings.schemaWaitTimeout(), shutdownRequested);
		this.tasks = new TaskExecution(registry, history, this.transaction, this.context);
		this.heartbeats = heartbeats;
	}

	/**
	 * Run the pending migrations, once the schema tool has nothing pending. The lock is taken only when one
	 * read of the history shows something to do ({@link NothingPending}).
	 * @param triggeredBy who asked, recorded in the history
	 * @return what happened
	 */
	public RunResult run(String triggeredBy) {
		joinParallelWalks();
		RunResult notStarted = this.schemaWait.await();
		if (notStarted != null) {
			return notStarted;
		}
		if (NothingPending.in(this.registry, this.history, this.schema)) {
			return new RunResult(Outcome.COMPLETED, List.of(), null, null);
		}
		Optional<MigrationLock.Handle> handle;
		try {
			handle = this.lock.acquire(Duration.ZERO);
			if (handle.isEmpty()) {
				logger.info("Waiting up to " + settings().lockWaitTimeout() + " for the data migration lock, held by "
						+ holder() + " (data-migrate.lock.wait-timeout)");
				handle = this.lock.acquire(settings().lockWaitTimeout());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new RunResult(Outcome.STOPPED, List.of(), null, ex);
		}
		if (handle.isEmpty()) {
			logger.warn("Another instance held the data migration lock for longer than " + settings().lockWaitTimeout()
					+ " (data-migrate.lock.wait-timeout)");
			return new RunResult(Outcome.LOCK_UNAVAILABLE, List.of(), null, null);
		}
		try (MigrationLock.Handle held = handle.get()) {
			this.history.createIfAbsent();
			synchronize();
			RunResult result = runQueue(held, triggeredBy);
			return (result.outcome() == Outcome.COMPLETED) ? applyPostDeploy(result) : result;
		}
	}

	/**
	 * From the first run on, look every few seconds for other instances' parallel walks to join.
	 */
	private synchronized void joinParallelWalks() {
		if (this.joining == null && settings().batch().joinFromOtherInstances()) {
			this.joining = this.heartbeats.scheduleWithFixedDelay(new WalkJoiner(this.registry, this.history,
					this.context), WalkJoiner.INTERVAL);
		}
	}

	private RunnerSettings settings() {
		return this.context.settings();
	}

	/**
	 * Who holds the lock, as far as the history tells: the instance that runs a migration, if one does.
	 */
	private String holder() {
		try {
			return this.history.findAll()
				.stream()
				.filter((record) -> record.status() == MigrationStatus.RUNNING && record.executedBy() != null)
				.map((record) -> record.executedBy() + ", which runs data migration " + record.version())
				.findFirst()
				.orElse("another instance");
		}
		catch (DataAccessException ex) {
			return "another instance";
		}
	}

	private void synchronize() {
		Map<MigrationVersion, HistoryRecord> records = records();
		MigrationVersion baseline = records.isEmpty() ? settings().baselineVersion() : null;
		for (MigrationDefinition definition : this.registry.definitions()) {
			if (!records.containsKey(definition.version())) {
				boolean belowBaseline = baseline != null && definition.version().compareTo(baseline) <= 0;
				try {
					this.history.insert(definition.version().toString(), definition.description(),
							definition.className(), belowBaseline ? MigrationStatus.BASELINE : MigrationStatus.PENDING);
				}
				catch (DuplicateKeyException ex) {
					// an operator's action on this instance's peer recorded it in the meantime
				}
			}
		}
	}

	private Map<MigrationVersion, HistoryRecord> records() {
		Map<MigrationVersion, HistoryRecord> records = new TreeMap<>();
		for (HistoryRecord record : this.history.findAll()) {
			records.put(MigrationVersion.parse(record.version()), record);
		}
		return records;
	}

	private RunResult runQueue(MigrationLock.Handle lock, String triggeredBy) {
		List<String> applied = new ArrayList<>();
		for (Map.Entry<MigrationVersion, HistoryRecord> entry : records().entrySet()) {
			HistoryRecord record = entry.getValue();
			if (record.status().isDone()) {
				continue;
			}
			if (record.status() == MigrationStatus.PAUSED
					|| (record.status() == MigrationStatus.FAILED && !settings().retryFailed())) {
				logger.warn("Data migration " + record.version() + " is " + record.status()
						+ " and holds the queue: retry, resume or skip it to let later migrations run");
				return new RunResult(Outcome.HALTED, applied, record.version(), null);
			}
			Optional<MigrationDefinition> definition = this.registry.find(entry.getKey());
			if (definition.isEmpty()) {
				logger.warn("Data migration " + record.version() + " is " + record.status()
						+ " in the history but this application has no bean for it; leaving it as it is");
				continue;
			}
			if (!lock.isHeld()) {
				return new RunResult(Outcome.INTERRUPTED, applied, null, null);
			}
			if (this.context.shutdownRequested().getAsBoolean()) {
				return new RunResult(Outcome.STOPPED, applied, null, null);
			}
			RunResult failure = execute(definition.get(), record.version(), triggeredBy, lock);
			if (failure == SKIPPED_MEANWHILE) {
				continue;
			}
			if (failure != null) {
				return new RunResult(failure.outcome(), applied, failure.blockedBy(), failure.error());
			}
			applied.add(record.version());
		}
		return new RunResult(Outcome.COMPLETED, applied, null, null);
	}

	/**
	 * Apply the post-deploy schema changes, now that every data migration is done.
	 */
	private RunResult applyPostDeploy(RunResult completed) {
		try {
			this.schema.applyPostDeploy();
			return completed;
		}
		catch (RuntimeException ex) {
			MigrationEvents.error("data_migration_failed", "migration", "post-deploy changes", "error",
					String.valueOf(ex));
			logger.error("Post-deploy changes failed after the data migrations succeeded", ex);
			return new RunResult(Outcome.FAILED, completed.applied(), RunResult.POST_DEPLOY, ex);
		}
	}

	/**
	 * Run one migration.
	 * @return {@code null} when it succeeded, otherwise why the queue stops
	 */
	private @Nullable RunResult execute(MigrationDefinition definition, String version, String triggeredBy,
			MigrationLock.Handle lock) {
		String token = UUID.randomUUID().toString();
		Optional<HistoryRecord> started = this.history.start(version, claimable(), definition.description(),
				definition.className(), token, this.executedBy, triggeredBy, settings().appVersion());
		if (started.isEmpty()) {
			return changedMeanwhile(version);
		}
		MigrationRun run = new MigrationRun(definition, this.context, lock::isHeld, token, started.get());
		DataMigrationListener listener = this.context.listener();
		listener.migrationStarted(version);
		RunResult stop;
		try (Heartbeat heartbeat = new Heartbeat(this.heartbeats, this.history, version, token,
				settings().leaseDuration())) {
			stop = this.tasks.run(definition, run, lock);
		}
		Duration duration = Duration.between(run.startedAt(), Instant.now());
		if (stop != null) {
			if (stop.outcome() == Outcome.FAILED && stop.error() != null) {
				listener.migrationFailed(version, stop.error());
			}
			listener.migrationFinished(version,
					(stop.outcome() == Outcome.FAILED) ? DataMigrationListener.Outcome.FAILED
							: DataMigrationListener.Outcome.STOPPED,
					duration);
			return stop;
		}
		listener.migrationFinished(version, DataMigrationListener.Outcome.SUCCEEDED, duration);
		HistoryRecord finished = this.history.find(version).orElseThrow();
		MigrationEvents.info("data_migration_finish", "migration", run.name(), "version", version, "duration_ms",
				finished.durationMs(), "total_records", finished.recordsProcessed(), "records_updated",
				run.recordsUpdated());
		return null;
	}

	/**
	 * The states a run takes a migration from: PENDING, RUNNING (interrupted), and FAILED when failed
	 * migrations are retried.
	 */
	private Set<MigrationStatus> claimable() {
		return settings().retryFailed()
				? EnumSet.of(MigrationStatus.PENDING, MigrationStatus.RUNNING, MigrationStatus.FAILED)
				: EnumSet.of(MigrationStatus.PENDING, MigrationStatus.RUNNING);
	}

	/**
	 * An operator acted on the migration while the queue ran: it runs no more if done, and holds the
	 * queue if paused or failed.
	 */
	private RunResult changedMeanwhile(String version) {
		HistoryRecord record = this.history.find(version).orElseThrow();
		logger.info("Data migration " + version + " became " + record.status() + " before its turn came");
		return record.status().isDone() ? SKIPPED_MEANWHILE
				: new RunResult(Outcome.HALTED, List.of(), version, null);
	}

}
