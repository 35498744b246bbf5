package dev.datamigrate;

/**
 * The work of a data migration. Implementations are Spring beans annotated with
 * {@link DataMigration}, so they can have anything injected through their constructor.
 */
@FunctionalInterface
public interface DataMigrationTask {

	/**
	 * Apply the migration.
	 * @param context the run's context: batches, checkpoints, progress and stop requests
	 * @throws Exception on any failure: the migration is marked FAILED and the queue halts
	 */
	void migrate(DataMigrationContext context) throws Exception;

}
