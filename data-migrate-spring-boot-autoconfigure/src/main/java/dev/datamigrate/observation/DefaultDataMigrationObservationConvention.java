package dev.datamigrate.observation;

import io.micrometer.common.KeyValues;

/**
 * The observation of SPEC.md: {@code data.migration}, with the low-cardinality key values {@code version}
 * and {@code outcome}, so that Micrometer's default handlers give the timer {@code data.migration} and the
 * long-task timer {@code data.migration.active}, and tracing a span named after the migration.
 */
public class DefaultDataMigrationObservationConvention implements DataMigrationObservationConvention {

	@Override
	public String getName() {
		return "data.migration";
	}

	@Override
	public String getContextualName(DataMigrationObservationContext context) {
		return "data migration " + context.getVersion();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(DataMigrationObservationContext context) {
		// the outcome only once the run has one, so that the long-task timer carries the version alone
		KeyValues version = KeyValues.of("version", context.getVersion());
		return (context.getOutcome() != null) ? version.and("outcome", context.getOutcome()) : version;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(DataMigrationObservationContext context) {
		return KeyValues.of("description", context.getDescription());
	}

}
