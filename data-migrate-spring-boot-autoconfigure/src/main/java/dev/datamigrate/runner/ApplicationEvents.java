package dev.datamigrate.runner;

import java.time.Duration;

import dev.datamigrate.DataMigrationFailedEvent;
import dev.datamigrate.DataMigrationFinishedEvent;
import dev.datamigrate.DataMigrationListener;
import dev.datamigrate.DataMigrationStartedEvent;
import dev.datamigrate.history.HistoryRecord;
import dev.datamigrate.history.MigrationHistory;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the moments that teams announce (started, finished, failed) as application events, with
 * the figures of the history.
 */
public class ApplicationEvents implements DataMigrationListener {

	private final ApplicationEventPublisher publisher;

	private final MigrationHistory history;

	/**
	 * Create the publisher.
	 * @param publisher the application's publisher
	 * @param history the history, for the figures
	 */
	public ApplicationEvents(ApplicationEventPublisher publisher, MigrationHistory history) {
		this.publisher = publisher;
		this.history = history;
	}

	@Override
	public void migrationStarted(String version) {
		this.history.find(version)
			.ifPresent((record) -> this.publisher.publishEvent(new DataMigrationStartedEvent(version, record.description())));
	}

	@Override
	public void migrationFinished(String version, Outcome outcome, Duration duration) {
		if (outcome == Outcome.STOPPED) {
			return;
		}
		HistoryRecord record = this.history.find(version).orElseThrow();
		this.publisher.publishEvent((outcome == Outcome.SUCCEEDED)
				? new DataMigrationFinishedEvent(version, record.description(), duration, record.recordsProcessed())
				: new DataMigrationFailedEvent(version, record.description(), duration, record.recordsProcessed(),
						record.error()));
	}

}
