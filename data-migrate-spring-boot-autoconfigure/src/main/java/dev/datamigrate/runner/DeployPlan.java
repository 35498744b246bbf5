package dev.datamigrate.runner;

import java.util.List;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.DataMigrations.PostDeployChange;

/**
 * The deploy report of {@code on-startup=plan}: what a run would do, without doing any of it.
 */
public final class DeployPlan {

	private final List<MigrationInfo> pending;

	private final List<PostDeployChange> postDeploy;

	private DeployPlan(List<MigrationInfo> pending, List<PostDeployChange> postDeploy) {
		this.pending = pending;
		this.postDeploy = postDeploy;
	}

	/**
	 * The plan of an application: every data migration that is not done, in the order a run takes them,
	 * then the post-deploy changes not applied yet.
	 * @param migrations the application's migrations
	 * @return the plan
	 */
	public static DeployPlan of(DataMigrations migrations) {
		return new DeployPlan(
				migrations.status().migrations().stream().filter((migration) -> !migration.status().isDone()).toList(),
				migrations.postDeployChanges().stream().filter((change) -> !change.applied()).toList());
	}

	/**
	 * Migrations a run would take up, in order.
	 * @return the pending migrations
	 */
	public List<MigrationInfo> pending() {
		return this.pending;
	}

	/**
	 * Post-deploy changes a run would apply after the migrations, in order.
	 * @return the pending post-deploy changes
	 */
	public List<PostDeployChange> postDeploy() {
		return this.postDeploy;
	}

	@Override
	public String toString() {
		StringBuilder report = new StringBuilder("Data migration plan: ");
		report.append(this.pending.isEmpty() ? "nothing pending" : this.pending.size() + " pending").append('\n');
		int width = this.pending.stream().mapToInt((migration) -> migration.version().length()).max().orElse(0);
		for (MigrationInfo migration : this.pending) {
			report.append(String.format("  %-" + width + "s  %-9s %s%n", migration.version(), migration.status(),
					migration.description()));
		}
		if (!this.postDeploy.isEmpty()) {
			report.append("Post-deploy changes, applied after the data migrations: ")
				.append(this.postDeploy.size())
				.append(" pending\n");
			for (PostDeployChange change : this.postDeploy) {
				report.append("  ").append(change.id()).append("  ").append(change.description()).append('\n');
			}
		}
		return report.toString();
	}

}
