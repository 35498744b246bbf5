package dev.datamigrate.runner;

/**
 * A run tried to write to a migration it no longer owns: it was paused, or another instance took it
 * over after this one lost the lock. What the run was writing rolls back.
 *
 * @see dev.datamigrate.history.MigrationHistory
 */
class OwnershipLostException extends RuntimeException {

	OwnershipLostException(String version) {
		super("This run no longer owns data migration " + version
				+ ": it was paused, or another instance took it over after this one lost the lock");
	}

}
