package dev.datamigrate.runner;

import java.util.Map;
import java.util.Optional;

import dev.datamigrate.DataMigrations.PostDeployChange;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.history.MigrationHistory;

/**
 * Whether a run would find nothing to do, told without the lock from one read of the history: so that an
 * application whose migrations are all done starts without taking the lock or reading more.
 */
final class NothingPending {

	private NothingPending() {
	}

	/**
	 * Whether every migration of the application and every row of the history is SUCCEEDED, SKIPPED or
	 * BASELINE, and no post-deploy change is pending. Nothing moves a migration out of those states or
	 * unapplies a change, so what this read saw stays true and a run under the lock would do nothing either;
	 * a row that a peer inserts meanwhile is the peer's to run.
	 * @param registry the application's migrations
	 * @param history the history table
	 * @param schema the schema tool, whose listing of post-deploy changes the schema wait has just read
	 * @return whether there is nothing to do
	 */
	static boolean in(DataMigrationRegistry registry, MigrationHistory history, SchemaTool schema) {
		if (!schema.postDeployChanges().stream().allMatch(PostDeployChange::applied)) {
			return false;
		}
		Optional<Map<String, MigrationStatus>> statuses = history.statusesIfCurrent();
		// a version recorded as written otherwise (1.0 for 1) is left to the run under the lock, which parses it
		return statuses.isPresent() && statuses.get().values().stream().allMatch(MigrationStatus::isDone)
				&& registry.definitions()
					.stream()
					.allMatch((definition) -> statuses.get().containsKey(definition.version().toString()));
	}

}
