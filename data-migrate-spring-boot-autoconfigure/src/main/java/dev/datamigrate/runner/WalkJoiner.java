package dev.datamigrate.runner;

import java.time.Duration;
import java.util.Optional;

import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.history.HistoryRecord;
import dev.datamigrate.history.MigrationHistory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Looks, every few seconds, for the parallel walks of other instances that have free ranges, and starts
 * this instance's workers for them.
 */
final class WalkJoiner implements Runnable {

	/** How often an instance looks for parallel walks to join. */
	static final Duration INTERVAL = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(WalkJoiner.class);

	private final DataMigrationRegistry registry;

	private final MigrationHistory history;

	private final RunContext context;

	private boolean rangesExist;

	WalkJoiner(DataMigrationRegistry registry, MigrationHistory history, RunContext context) {
		this.registry = registry;
		this.history = history;
		this.context = context;
	}

	@Override
	public void run() {
		if (this.context.shutdownRequested().getAsBoolean()) {
			return;
		}
		try {
			// the first run that has something to do creates the table
			this.rangesExist = this.rangesExist || this.context.parallel().ranges().exists();
			if (!this.rangesExist) {
				return;
			}
			for (String version : this.context.parallel().ranges().claimable()) {
				if (!this.context.parallel().isWalking(version)) {
					this.history.find(version)
						.filter((record) -> record.status() == MigrationStatus.RUNNING)
						.ifPresent(this::join);
				}
			}
		}
		catch (RuntimeException ex) {
			// the database is away for a moment: the next look tries again (a scheduled task that throws is never
			// run again)
			logger.debug("Could not look for parallel walks to join", ex);
		}
	}

	private void join(HistoryRecord record) {
		Optional<MigrationDefinition> definition = this.registry.find(MigrationVersion.parse(record.version()));
		if (definition.isEmpty()) {
			return;
		}
		this.context.parallel().threads().execute(() -> {
			try {
				this.registry.task(definition.get()).migrate(new JoinRun(definition.get(), record, this.context));
			}
			catch (Exception ex) {
				logger.warn("This instance's workers on the parallel walk of data migration " + record.version()
						+ " stopped; the instance that runs it fails it if its range failed", ex);
			}
		});
	}

}
