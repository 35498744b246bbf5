package dev.datamigrate;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;

import dev.datamigrate.MigrationInfo.MigrationStatus;
import org.jspecify.annotations.Nullable;

/**
 * Operations on the application's data migrations. The startup runner, the Actuator endpoint and
 * tests all go through this bean. Every operation acts on the shared history table, so it may be
 * called on any instance.
 */
public interface DataMigrations {

	/**
	 * What {@code triggered_by} records for calls made by the application itself.
	 */
	String API = "api";

	/**
	 * Every known migration in version order, with its state from the history table.
	 * @return the status
	 */
	DataMigrationsStatus status();

	/**
	 * Schema changes held back from the startup update until the data migrations succeed (Liquibase
	 * changesets labelled {@code data-migrate.liquibase.post-deploy-label}), with whether each is
	 * applied.
	 * @return the post-deploy changes, none without Liquibase
	 */
	List<PostDeployChange> postDeployChanges();

	/**
	 * Schema changes that the schema tool has yet to apply to this database, post-deploy ones aside:
	 * Liquibase's unrun changesets for the application's contexts and labels, or Flyway's pending
	 * migrations. A run waits until there are none ({@code data-migrate.schema.wait-timeout}).
	 * @return the pending schema changes, none without a schema tool
	 */
	default List<SchemaChange> pendingSchemaChanges() {
		return List.of();
	}

	/**
	 * Run pending migrations now, on the calling thread, under the cluster-wide lock, on behalf of the
	 * application.
	 * @return what happened
	 */
	default RunResult runPending() {
		return runPending(API);
	}

	/**
	 * Run pending migrations now, on the calling thread, recording who asked.
	 * @param triggeredBy who asked, recorded in {@code triggered_by}
	 * @return what happened
	 */
	RunResult runPending(String triggeredBy);

	/**
	 * Run pending migrations on a thread of their own, unless this instance already runs them.
	 * @param triggeredBy who asked, recorded in {@code triggered_by}
	 * @return the run started, or the one already under way on this instance
	 */
	CompletableFuture<RunResult> runPendingInBackground(String triggeredBy);

	/**
	 * Whether this instance is running migrations now.
	 * @return whether a run is under way here
	 */
	boolean isRunning();

	/**
	 * Ask a pending or running migration to pause. A running one stops after its current batch,
	 * wherever it runs. A paused migration holds the queue until it is resumed.
	 * @param version the version
	 * @param triggeredBy who asked, recorded in {@code triggered_by}
	 * @return the migration's new state
	 * @throws java.util.NoSuchElementException if no migration has the version
	 * @throws IllegalStateException if the migration is in a state that cannot be paused
	 */
	MigrationInfo pause(String version, String triggeredBy);

	/**
	 * Put a paused migration back in the queue; it continues from its checkpoint at the next run.
	 * @param version the version
	 * @param triggeredBy who asked, recorded in {@code triggered_by}
	 * @return the migration's new state
	 * @throws java.util.NoSuchElementException if no migration has the version
	 * @throws IllegalStateException if the migration is not paused
	 */
	MigrationInfo resume(String version, String triggeredBy);

	/**
	 * Put a failed migration back in the queue; it runs again, from its checkpoint, at the next run.
	 * @param version the version
	 * @param triggeredBy who asked, recorded in {@code triggered_by}
	 * @return the migration's new state
	 * @throws java.util.NoSuchElementException if no migration has the version
	 * @throws IllegalStateException if the migration has not failed
	 */
	MigrationInfo retry(String version, String triggeredBy);

	/**
	 * Mark a migration that has not succeeded as done without running it, releasing the queue. A
	 * running migration must be paused first.
	 * @param version the version
	 * @param triggeredBy who asked, recorded in {@code triggered_by}
	 * @return the migration's new state
	 * @throws java.util.NoSuchElementException if no migration has the version
	 * @throws IllegalStateException if the migration is running or done
	 */
	MigrationInfo skip(String version, String triggeredBy);

	/**
	 * Pause a migration on behalf of the application, see {@link #pause(String, String)}.
	 * @param version the version
	 * @return the migration's new state
	 */
	default MigrationInfo pause(String version) {
		return pause(version, API);
	}

	/**
	 * Resume a migration on behalf of the application, see {@link #resume(String, String)}.
	 * @param version the version
	 * @return the migration's new state
	 */
	default MigrationInfo resume(String version) {
		return resume(version, API);
	}

	/**
	 * Retry a migration on behalf of the application, see {@link #retry(String, String)}.
	 * @param version the version
	 * @return the migration's new state
	 */
	default MigrationInfo retry(String version) {
		return retry(version, API);
	}

	/**
	 * Skip a migration on behalf of the application, see {@link #skip(String, String)}.
	 * @param version the version
	 * @return the migration's new state
	 */
	default MigrationInfo skip(String version) {
		return skip(version, API);
	}

	/**
	 * Every known data migration, in version order, with counts by state.
	 *
	 * @param migrations the migrations in version order
	 */
	record DataMigrationsStatus(List<MigrationInfo> migrations) {

		public DataMigrationsStatus {
			migrations = List.copyOf(migrations);
		}

		/**
		 * Migrations that have yet to run, including paused and interrupted ones.
		 * @return the count
		 */
		public long pending() {
			return count(MigrationStatus.PENDING) + count(MigrationStatus.PAUSED);
		}

		/**
		 * Migrations running now.
		 * @return the count
		 */
		public long running() {
			return count(MigrationStatus.RUNNING) - interrupted();
		}

		/**
		 * Migrations recorded as RUNNING whose runner stopped saying it is alive: interrupted, to be resumed.
		 * @return the count
		 */
		public long interrupted() {
			return this.migrations.stream().filter((migration) -> migration.interruptedSince() != null).count();
		}

		/**
		 * Migrations that failed.
		 * @return the count
		 */
		public long failed() {
			return count(MigrationStatus.FAILED);
		}

		/**
		 * The migration of this version, if known.
		 * @param version the version
		 * @return the migration
		 */
		public Optional<MigrationInfo> find(String version) {
			return this.migrations.stream().filter((migration) -> migration.version().equals(version)).findFirst();
		}

		private long count(MigrationStatus status) {
			return this.migrations.stream().filter((migration) -> migration.status() == status).count();
		}

	}

	/**
	 * A schema change held back from the startup update and applied after the pending data migrations
	 * succeed, such as a Liquibase changeset labelled {@code post-deploy}.
	 *
	 * @param id its identifier, such as {@code changelog-path::id::author}
	 * @param description what it does
	 * @param applied whether it has been applied
	 * @param waitsFor the version of the data migration that it requires to be done (its finish gate), or
	 * {@code null}
	 */
	record PostDeployChange(String id, @Nullable String description, boolean applied, @Nullable String waitsFor) {

	}

	/**
	 * A schema change that the schema tool has yet to apply, such as a Liquibase changeset or a Flyway
	 * migration.
	 *
	 * @param id its identifier, such as {@code changelog-path::id::author} or a Flyway version
	 * @param description what it does
	 * @param waitsFor the version of the data migration that it requires to be done (its finish gate), or
	 * {@code null}
	 */
	record SchemaChange(String id, @Nullable String description, @Nullable String waitsFor) {

	}

}
