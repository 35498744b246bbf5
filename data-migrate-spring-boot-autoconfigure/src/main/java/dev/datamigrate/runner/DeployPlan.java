package dev.datamigrate.runner;

import java.util.List;

import dev.datamigrate.DataMigrationsStatus;
import dev.datamigrate.MigrationInfo;

/**
 * The deploy report of {@code on-startup=plan}: what a run would do, without doing any of it.
 */
public final class DeployPlan {

	private final List<MigrationInfo> pending;

	private DeployPlan(List<MigrationInfo> pending) {
		this.pending = pending;
	}

	/**
	 * The plan for a status: every migration that is not done, in the order a run takes them.
	 * @param status the status
	 * @return the plan
	 */
	public static DeployPlan of(DataMigrationsStatus status) {
		return new DeployPlan(status.migrations().stream().filter((migration) -> !migration.status().isDone()).toList());
	}

	/**
	 * Migrations a run would take up, in order.
	 * @return the pending migrations
	 */
	public List<MigrationInfo> pending() {
		return this.pending;
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
		return report.toString();
	}

}
