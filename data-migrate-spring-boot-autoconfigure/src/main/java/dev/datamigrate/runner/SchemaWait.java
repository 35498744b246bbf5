package dev.datamigrate.runner;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import dev.datamigrate.DataMigrations.SchemaChange;
import dev.datamigrate.RunResult;
import dev.datamigrate.RunResult.Outcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Holds a run back until the schema tool has nothing pending but post-deploy changes: an asynchronous
 * Liquibase, a schema applied by another process, or a peer that has yet to finish its update.
 */
final class SchemaWait {

	private static final Log logger = LogFactory.getLog(SchemaWait.class);

	private static final Duration POLL = Duration.ofSeconds(1);

	private static final Duration LOG_INTERVAL = Duration.ofSeconds(30);

	private final SchemaTool schema;

	private final Duration timeout;

	private final BooleanSupplier stopRequested;

	SchemaWait(SchemaTool schema, Duration timeout, BooleanSupplier stopRequested) {
		this.schema = schema;
		this.timeout = timeout;
		this.stopRequested = stopRequested;
	}

	/**
	 * Wait until no schema change is pending.
	 * @return {@code null} once none is, or the result of a run that did not start
	 */
	@Nullable RunResult await() {
		List<SchemaChange> pending = this.schema.pending();
		if (pending.isEmpty()) {
			return null;
		}
		long start = System.nanoTime();
		long deadline = start + this.timeout.toNanos();
		long nextLog = start + LOG_INTERVAL.toNanos();
		logger.info("Waiting up to " + this.timeout + " (data-migrate.schema.wait-timeout) for the schema tool to apply "
				+ describe(pending) + " before running data migrations");
		while (!pending.isEmpty()) {
			long now = System.nanoTime();
			if (now - deadline >= 0) {
				String message = "Not run: schema not up to date after " + this.timeout
						+ " (data-migrate.schema.wait-timeout); still pending: " + describe(pending);
				logger.warn(message);
				return new RunResult(Outcome.SCHEMA_NOT_UP_TO_DATE, List.of(), null, new IllegalStateException(message));
			}
			if (now - nextLog >= 0) {
				logger.info("Still waiting for the schema tool after " + Duration.ofNanos(now - start).toSeconds() + " s: "
						+ describe(pending));
				nextLog = now + LOG_INTERVAL.toNanos();
			}
			try {
				Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, (deadline - now) / 1_000_000)));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return new RunResult(Outcome.STOPPED, List.of(), null, ex);
			}
			if (this.stopRequested.getAsBoolean()) {
				return new RunResult(Outcome.STOPPED, List.of(), null, null);
			}
			pending = this.schema.pending();
		}
		logger.info("Schema up to date after " + Duration.ofNanos(System.nanoTime() - start).toMillis()
				+ " ms; running data migrations");
		return null;
	}

	private static String describe(List<SchemaChange> pending) {
		return pending.size() + ((pending.size() == 1) ? " change: " : " changes: ")
				+ pending.stream().map(SchemaChange::id).limit(5).collect(Collectors.joining(", "))
				+ ((pending.size() > 5) ? ", ..." : "");
	}

}
