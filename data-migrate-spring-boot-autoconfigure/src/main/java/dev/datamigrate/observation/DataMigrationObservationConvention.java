package dev.datamigrate.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names an observation of a data migration run and its key values; declare a bean of this type to rename
 * them or add your own.
 */
public interface DataMigrationObservationConvention extends ObservationConvention<DataMigrationObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof DataMigrationObservationContext;
	}

}
