package dev.datamigrate.database;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Any other database, in standard SQL: a lease for the lock, and no limits of a batch's lock waits or
 * statement time, which standard SQL has no statement for.
 */
final class GenericDatabase extends Database {

	@Override
	protected String longText() {
		return "varchar(4000)";
	}

	@Override
	protected String timestamp() {
		return "timestamp";
	}

	@Override
	public @Nullable String limitTransaction(Duration lockTimeout, Duration statementTimeout, boolean asynchronousCommit) {
		return null;
	}

	@Override
	public String firstRows(String orderedSelect) {
		return orderedSelect + " fetch first ? rows only";
	}

}
