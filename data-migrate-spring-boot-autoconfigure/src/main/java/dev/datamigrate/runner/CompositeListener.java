package dev.datamigrate.runner;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import dev.datamigrate.DataMigrationListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells several listeners, in order; a listener that throws is logged and does not stop the run.
 */
public class CompositeListener implements DataMigrationListener {

	private static final Log logger = LogFactory.getLog(CompositeListener.class);

	private final List<DataMigrationListener> listeners;

	/**
	 * Create a composite.
	 * @param listeners the listeners, in order
	 */
	public CompositeListener(List<DataMigrationListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void migrationStarted(String version) {
		tell((listener) -> listener.migrationStarted(version));
	}

	@Override
	public void batchCommitted(String version, int records) {
		tell((listener) -> listener.batchCommitted(version, records));
	}

	@Override
	public void batchCommitted(String version, int records, int size, Duration took) {
		tell((listener) -> listener.batchCommitted(version, records, size, took));
	}

	@Override
	public void batchRetried(String version) {
		tell((listener) -> listener.batchRetried(version));
	}

	@Override
	public void migrationThrottled(String version, String reason) {
		tell((listener) -> listener.migrationThrottled(version, reason));
	}

	@Override
	public void migrationUnthrottled(String version, Duration held) {
		tell((listener) -> listener.migrationUnthrottled(version, held));
	}

	@Override
	public void migrationFailed(String version, Throwable error) {
		tell((listener) -> listener.migrationFailed(version, error));
	}

	@Override
	public void migrationFinished(String version, Outcome outcome, Duration duration) {
		tell((listener) -> listener.migrationFinished(version, outcome, duration));
	}

	private void tell(Consumer<DataMigrationListener> call) {
		for (DataMigrationListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Data migration listener " + listener + " failed", ex);
			}
		}
	}

}
