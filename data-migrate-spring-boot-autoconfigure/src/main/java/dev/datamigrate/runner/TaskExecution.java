package dev.datamigrate.runner;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.RunResult.Outcome;
import dev.datamigrate.batch.WalkStoppedException;
import dev.datamigrate.history.HistoryRecord;
import dev.datamigrate.history.MigrationHistory;
import dev.datamigrate.lock.MigrationLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one migration's task, in its transaction if it has one, and tells how it ended: succeeded,
 * failed (recorded), stopped or interrupted.
 */
final class TaskExecution {

	private static final Log logger = LogFactory.getLog(TaskExecution.class);

	private final DataMigrationRegistry registry;

	private final MigrationHistory history;

	private final TransactionTemplate transaction;

	private final RunContext context;

	TaskExecution(DataMigrationRegistry registry, MigrationHistory history, TransactionTemplate transaction,
			RunContext context) {
		this.registry = registry;
		this.history = history;
		this.transaction = transaction;
		this.context = context;
	}

	/**
	 * Run a migration's task in its transaction, if it has one.
	 * @return {@code null} when it succeeded, otherwise why the queue stops
	 */
	@Nullable RunResult run(MigrationDefinition definition, MigrationRun run, MigrationLock.Handle lock) {
		String version = run.version();
		try {
			DataMigrationTask task = this.registry.task(definition);
			if (definition.transactional()) {
				this.transaction.executeWithoutResult((status) -> {
					migrate(task, run);
					if (run.wasStopped()) {
						status.setRollbackOnly();
					}
					else {
						succeed(run);
					}
				});
			}
			else {
				migrate(task, run);
				if (!run.wasStopped()) {
					succeed(run);
				}
			}
		}
		catch (OwnershipLostException | WalkStoppedException ex) {
			return stopped(run, lock);
		}
		catch (Throwable ex) {
			Throwable error = (ex instanceof TaskException) ? ex.getCause() : ex;
			if (interrupted(error) || !lock.isHeld()) {
				logger.warn("Data migration " + version + " was interrupted; it resumes from its checkpoint", error);
				return new RunResult(Outcome.INTERRUPTED, List.of(), version, error);
			}
			if (this.context.shutdownRequested().getAsBoolean()) {
				logger.info("Data migration " + version + " stopped as the application shuts down; the next run "
						+ "resumes it from its checkpoint: " + error);
				return new RunResult(Outcome.STOPPED, List.of(), version, error);
			}
			return fail(run, error);
		}
		return run.wasStopped() ? stopped(run, lock) : null;
	}

	/**
	 * A run that stopped before its task was done: paused, interrupted, taken over or shut down.
	 */
	private RunResult stopped(MigrationRun run, MigrationLock.Handle lock) {
		String version = run.version();
		if (!lock.isHeld()) {
			logger.warn("Data migration " + version + " was interrupted: this instance lost the data migration "
					+ "lock; it resumes from its checkpoint");
			return new RunResult(Outcome.INTERRUPTED, List.of(), version, null);
		}
		HistoryRecord record = this.history.find(version).orElseThrow();
		if (record.status() == MigrationStatus.PAUSED) {
			logger.info("Data migration " + version + " paused at checkpoint " + record.checkpoint()
					+ "; resume it to go on from there");
		}
		else if (record.status() != MigrationStatus.RUNNING || !run.ownerToken().equals(record.ownerToken())) {
			logger.warn("Data migration " + version + " is " + record.status() + " and no longer owned by this run");
		}
		else {
			logger.info("Data migration " + version + " stopped as the application shuts down; the next run "
					+ "resumes it from checkpoint " + record.checkpoint());
		}
		return new RunResult(Outcome.STOPPED, List.of(), version, null);
	}

	/**
	 * Whether an error means the run lost its database connection, which interrupts a run but is not
	 * a failure of the migration.
	 */
	private static boolean interrupted(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessResourceFailureException || cause instanceof SQLTransientConnectionException
					|| cause instanceof SQLNonTransientConnectionException
					|| (cause instanceof SQLException sql && sql.getSQLState() != null
							&& sql.getSQLState().startsWith("08"))) {
				return true;
			}
			// a rollback on the lost connection fails too, and hides the error that lost it
			if (cause instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
					&& interrupted(rollback.getApplicationException())) {
				return true;
			}
		}
		return false;
	}

	private static void migrate(DataMigrationTask task, MigrationRun run) {
		try {
			task.migrate(run);
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new TaskException(ex);
		}
	}

	private void succeed(MigrationRun run) {
		run.logStart(null, null);
		if (!this.history.succeed(run.version(), run.ownerToken(), run.startedAt(), run.ownTransactionCheckpoint())) {
			throw new OwnershipLostException(run.version());
		}
	}

	private RunResult fail(MigrationRun run, Throwable error) {
		run.logStart(null, null);
		String text = describe(error);
		this.history.fail(run.version(), run.ownerToken(), run.startedAt(), text);
		MigrationEvents.error("data_migration_failed", "migration", run.name(), "version", run.version(), "error",
				String.valueOf(error));
		logger.error("Data migration " + run.version() + " failed", error);
		return new RunResult(Outcome.FAILED, List.of(), run.version(), error);
	}

	/**
	 * The exception's message chain, one cause a line, for the history and the endpoint, which any
	 * viewer may read; the stack trace goes to the log only.
	 */
	static String describe(Throwable error) {
		StringBuilder chain = new StringBuilder(String.valueOf(error));
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		String previous = chain.toString();
		for (Throwable cause = error.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
			String line = String.valueOf(cause);
			// a wrapper made from its cause already says it
			if (!previous.contains(line)) {
				chain.append("\nCaused by: ").append(line);
			}
			previous = line;
		}
		return chain.toString();
	}

	/**
	 * Carries a task's checked exception through the transaction callback.
	 */
	private static final class TaskException extends RuntimeException {

		TaskException(Exception cause) {
			super(cause);
		}

	}

}
