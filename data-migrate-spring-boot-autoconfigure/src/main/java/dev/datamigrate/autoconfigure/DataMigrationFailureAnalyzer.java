package dev.datamigrate.autoconfigure;

import dev.datamigrate.DataMigrationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints a {@link DataMigrationException} that stopped startup as what went wrong and the way out.
 */
class DataMigrationFailureAnalyzer extends AbstractFailureAnalyzer<DataMigrationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DataMigrationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
