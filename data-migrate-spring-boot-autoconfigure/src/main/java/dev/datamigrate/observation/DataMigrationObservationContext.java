package dev.datamigrate.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an observation of one data migration run knows: the migration, and once it ends, how.
 */
public class DataMigrationObservationContext extends Observation.Context {

	private final String version;

	private final String description;

	private @Nullable String outcome;

	/**
	 * Create the context of a run.
	 * @param version the migration's version
	 * @param description what it does
	 */
	public DataMigrationObservationContext(String version, String description) {
		this.version = version;
		this.description = description;
	}

	/**
	 * The migration's version.
	 * @return the version
	 */
	public String getVersion() {
		return this.version;
	}

	/**
	 * What the migration does.
	 * @return the description
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * How the run ended: {@code succeeded}, {@code failed} or {@code stopped}; {@code null} while it runs.
	 * @return the outcome
	 */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	void setOutcome(String outcome) {
		this.outcome = outcome;
	}

}
