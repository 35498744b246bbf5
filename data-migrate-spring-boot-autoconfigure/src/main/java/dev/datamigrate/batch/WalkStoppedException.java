package dev.datamigrate.batch;

/**
 * A walk stopped before its end: its migration was paused or taken over, or the application shuts down.
 * The migration is unfinished, and resumes from its checkpoints.
 */
public class WalkStoppedException extends RuntimeException {

	/**
	 * Create the exception.
	 * @param version the migration's version
	 */
	public WalkStoppedException(String version) {
		super("The walk of data migration " + version + " stopped before its end");
	}

}
