package dev.datamigrate.runner;

import java.util.List;

import dev.datamigrate.DataMigrations.PostDeployChange;
import dev.datamigrate.DataMigrations.SchemaChange;

/**
 * The application's schema tool as the runner sees it: the changes it has yet to apply, which a run
 * waits for, and the post-deploy changes that a run applies after the data migrations succeed, in the
 * same run and under the same lock (the contract step of expand, migrate, contract).
 */
public interface SchemaTool {

	/**
	 * No schema tool.
	 */
	SchemaTool NONE = List::of;

	/**
	 * The changes not applied to the database yet, post-deploy ones aside, read now.
	 * @return the pending changes
	 */
	List<SchemaChange> pending();

	/**
	 * Every post-deploy change, with whether it is applied.
	 * @return the changes
	 */
	default List<PostDeployChange> postDeployChanges() {
		return List.of();
	}

	/**
	 * Apply the pending post-deploy changes.
	 * @throws RuntimeException if one fails
	 */
	default void applyPostDeploy() {
	}

}
