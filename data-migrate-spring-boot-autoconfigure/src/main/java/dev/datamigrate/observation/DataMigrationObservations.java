package dev.datamigrate.observation;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.datamigrate.DataMigrationListener;
import dev.datamigrate.history.HistoryRecord;
import dev.datamigrate.history.MigrationHistory;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes each data migration run through the application's {@link ObservationRegistry}: started when
 * the run starts, stopped when it ends, with its batches as events.
 */
public class DataMigrationObservations implements DataMigrationListener {

	private static final DataMigrationObservationConvention DEFAULT = new DefaultDataMigrationObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable DataMigrationObservationConvention convention;

	private final MigrationHistory history;

	private final Map<String, Observation> running = new ConcurrentHashMap<>();

	/**
	 * Create the observations.
	 * @param registry the application's registry
	 * @param convention the application's convention, or {@code null} for the default one
	 * @param history the history, read for the migration's description
	 */
	public DataMigrationObservations(ObservationRegistry registry, @Nullable DataMigrationObservationConvention convention,
			MigrationHistory history) {
		this.registry = registry;
		this.convention = convention;
		this.history = history;
	}

	@Override
	public void migrationStarted(String version) {
		String description = this.history.find(version).map(HistoryRecord::description).orElse(version);
		DataMigrationObservationContext context = new DataMigrationObservationContext(version, description);
		this.running.put(version, Observation
			.createNotStarted(this.convention, DEFAULT, () -> context, this.registry)
			.start());
	}

	@Override
	public void batchCommitted(String version, int records) {
		Observation observation = this.running.get(version);
		if (observation != null) {
			// Micrometer's meter handler counts events too, as data.migration.batch
			observation.event(Observation.Event.of("batch", "batch of " + records + " records"));
		}
	}

	@Override
	public void migrationFailed(String version, Throwable error) {
		Observation observation = this.running.get(version);
		if (observation != null) {
			observation.error(error);
		}
	}

	@Override
	public void migrationFinished(String version, Outcome outcome, Duration duration) {
		Observation observation = this.running.remove(version);
		if (observation != null) {
			((DataMigrationObservationContext) observation.getContext())
				.setOutcome(outcome.name().toLowerCase(Locale.ROOT));
			observation.stop();
		}
	}

}
