package dev.datamigrate.runner;

import java.util.EnumSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.DataMigrations.DataMigrationsStatus;
import dev.datamigrate.DataMigrations.PostDeployChange;
import dev.datamigrate.DataMigrations.SchemaChange;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.history.MigrationHistory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.TaskExecutor;
import org.springframework.dao.DataAccessException;

/**
 * The {@link DataMigrations} of an application: the history table read together with the
 * application's migration beans, and the runner.
 */
public class DefaultDataMigrations implements DataMigrations, DisposableBean {

	private static final int ECHO_LIMIT = 200;

	private final DataMigrationRegistry registry;

	private final MigrationHistory history;

	private final DataMigrationRunner runner;

	private final AtomicBoolean shuttingDown;

	private final SchemaTool schema;

	private final MigrationStatuses statuses;

	private final TaskExecutor executor;

	private final AtomicReference<CompletableFuture<RunResult>> background = new AtomicReference<>();

	private final AtomicBoolean runAgain = new AtomicBoolean();

	private volatile boolean contextStarted;

	/**
	 * Create the operations of an application.
	 * @param registry the application's migrations
	 * @param history the history table
	 * @param runner the runner
	 * @param shuttingDown set when the application shuts down, which stops a run after its current batch
	 * @param schema the schema tool
	 * @param statuses what the history and the ranges table say of each migration
	 * @param executor where background runs run
	 */
	public DefaultDataMigrations(DataMigrationRegistry registry, MigrationHistory history, DataMigrationRunner runner,
			AtomicBoolean shuttingDown, SchemaTool schema, MigrationStatuses statuses, TaskExecutor executor) {
		this.statuses = statuses;
		this.registry = registry;
		this.history = history;
		this.runner = runner;
		this.shuttingDown = shuttingDown;
		this.schema = schema;
		this.executor = executor;
	}

	@Override
	public DataMigrationsStatus status() {
		return this.statuses.status();
	}

	@Override
	public List<PostDeployChange> postDeployChanges() {
		return this.schema.postDeployChanges();
	}

	@Override
	public List<SchemaChange> pendingSchemaChanges() {
		return this.schema.pending();
	}

	@Override
	public RunResult runPending(String triggeredBy) {
		if (this.contextStarted) {
			return this.runner.run(triggeredBy);
		}
		// A run before the context has started (a run-mode startup) holds the context's startup lock, which
		// the context's close, and so Spring Boot's shutdown hook, waits for: only a JVM hook can stop it.
		Thread hook = new Thread(() -> this.shuttingDown.set(true), "data-migrate-shutdown");
		try {
			Runtime.getRuntime().addShutdownHook(hook);
		}
		catch (IllegalStateException ex) {
			// the JVM was asked to stop before the run began: it stops before its first migration
			this.shuttingDown.set(true);
			return this.runner.run(triggeredBy);
		}
		try {
			return this.runner.run(triggeredBy);
		}
		finally {
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (IllegalStateException ex) {
				// the JVM is shutting down already
			}
		}
	}

	@Override
	public CompletableFuture<RunResult> runPendingInBackground(String triggeredBy) {
		CompletableFuture<RunResult> started = new CompletableFuture<>();
		CompletableFuture<RunResult> current = this.background.updateAndGet(
				(running) -> (running != null && !running.isDone()) ? running : started);
		if (current != started) {
			// asked while a run goes on, which may be stopping for a pause this request undid: run again after it
			this.runAgain.set(true);
		}
		else {
			try {
				this.executor.execute(() -> {
					try {
						RunResult result;
						do {
							this.runAgain.set(false);
							result = Resuming.run(() -> runPending(triggeredBy), this.shuttingDown::get);
						}
						while (this.runAgain.get() && !this.shuttingDown.get());
						started.complete(result);
						// asked between the last check and the completion: this run is done, so start one
						if (this.runAgain.get() && !this.shuttingDown.get()) {
							runPendingInBackground(triggeredBy);
						}
					}
					catch (Throwable ex) {
						started.completeExceptionally(ex);
					}
				});
			}
			catch (RuntimeException ex) {
				// the executor refused the run (it is shut down, or full)
				started.completeExceptionally(ex);
			}
		}
		return current;
	}

	@Override
	public boolean isRunning() {
		CompletableFuture<RunResult> running = this.background.get();
		return running != null && !running.isDone();
	}

	@Override
	public MigrationInfo pause(String version, String triggeredBy) {
		return transition(version, EnumSet.of(MigrationStatus.PENDING, MigrationStatus.RUNNING),
				MigrationStatus.PAUSED, "pause", triggeredBy);
	}

	@Override
	public MigrationInfo resume(String version, String triggeredBy) {
		return transition(version, EnumSet.of(MigrationStatus.PAUSED), MigrationStatus.PENDING, "resume",
				triggeredBy);
	}

	@Override
	public MigrationInfo retry(String version, String triggeredBy) {
		return transition(version, EnumSet.of(MigrationStatus.FAILED), MigrationStatus.PENDING, "retry", triggeredBy);
	}

	@Override
	public MigrationInfo skip(String version, String triggeredBy) {
		return transition(version, EnumSet.of(MigrationStatus.PENDING, MigrationStatus.PAUSED, MigrationStatus.FAILED),
				MigrationStatus.SKIPPED, "skip", triggeredBy);
	}

	private MigrationInfo transition(String version, Set<MigrationStatus> from, MigrationStatus to, String action,
			String triggeredBy) {
		MigrationInfo current = find(version);
		record(current);
		if (!this.history.transition(current.version(), from, to, triggeredBy)) {
			MigrationInfo now = find(version);
			throw new IllegalStateException("Cannot " + action + " data migration " + now.version() + " while it is "
					+ now.status() + "; " + action + " applies to " + from);
		}
		return find(version);
	}

	/**
	 * Make sure a migration known only to the application has a history row to change.
	 */
	private void record(MigrationInfo migration) {
		try {
			this.history.createIfAbsent();
			if (this.history.find(migration.version()).isEmpty()) {
				this.history.insert(migration.version(), migration.description(), migration.className(),
						MigrationStatus.PENDING);
			}
		}
		catch (DataAccessException ex) {
			// another instance created the table or the row at the same time
			if (!this.history.exists() || this.history.find(migration.version()).isEmpty()) {
				throw ex;
			}
		}
	}

	private MigrationInfo find(String version) {
		MigrationVersion parsed;
		try {
			parsed = MigrationVersion.parse(version);
		}
		catch (IllegalArgumentException ex) {
			throw new NoSuchElementException("No data migration has version '" + echo(version) + "'");
		}
		return status().migrations()
			.stream()
			.filter((migration) -> MigrationVersion.parse(migration.version()).equals(parsed))
			.findFirst()
			.orElseThrow(() -> new NoSuchElementException("No data migration has version '" + echo(version) + "'"));
	}

	/**
	 * A caller's input as an error message repeats it: at most 200 characters, so that a message never
	 * carries whatever was sent.
	 * @param input what the caller sent
	 * @return the input, cut
	 */
	public static String echo(String input) {
		return (input != null && input.length() > ECHO_LIMIT) ? input.substring(0, ECHO_LIMIT) + "..." : input;
	}

	/**
	 * Let runs go on, as the application context has started (or started again after a stop): from now on
	 * its lifecycle stops them.
	 */
	void allowRuns() {
		this.contextStarted = true;
		this.shuttingDown.set(false);
	}

	/**
	 * Ask every run under way on this instance to stop after its current batch; runs started from now on
	 * stop before their first migration.
	 * @return completes when the background run, if any, has stopped
	 */
	CompletableFuture<Void> stopRuns() {
		this.shuttingDown.set(true);
		CompletableFuture<RunResult> running = this.background.get();
		return (running != null) ? running.handle((result, ex) -> null) : CompletableFuture.completedFuture(null);
	}

	/**
	 * Ask a run still under way to stop after its current batch, such as one whose application context
	 * failed to start.
	 */
	@Override
	public void destroy() {
		this.shuttingDown.set(true);
	}

}
