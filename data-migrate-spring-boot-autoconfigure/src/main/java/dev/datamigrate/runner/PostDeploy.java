package dev.datamigrate.runner;

import java.util.List;

import dev.datamigrate.DataMigrations.PostDeployChange;

/**
 * Schema changes applied after the pending data migrations succeed, in the same run and under the
 * same lock: the contract step of expand, migrate, contract.
 */
public interface PostDeploy {

	/**
	 * No post-deploy changes.
	 */
	PostDeploy NONE = new PostDeploy() {

		@Override
		public List<PostDeployChange> changes() {
			return List.of();
		}

		@Override
		public void apply() {
		}

	};

	/**
	 * Every post-deploy change, with whether it is applied.
	 * @return the changes
	 */
	List<PostDeployChange> changes();

	/**
	 * Apply the pending changes.
	 * @throws RuntimeException if one fails
	 */
	void apply();

}
