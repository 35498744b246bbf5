package dev.datamigrate.runner;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import org.jspecify.annotations.Nullable;

/**
 * The deploy report of {@code on-startup=plan}: everything a deploy would do, in the order it does it,
 * without doing any of it: the pending schema changes, the data migrations, then the post-deploy
 * changes, each gated change with the data migration it waits for and that migration's state.
 *
 * @param schemaChanges schema changes the schema tool would apply at startup
 * @param dataMigrations data migrations a run would take up, in order
 * @param postDeployChanges post-deploy changes a run would apply after the data migrations
 */
public record DeployPlan(List<Change> schemaChanges, List<Migration> dataMigrations, List<Change> postDeployChanges) {

	/**
	 * The plan of an application.
	 * @param migrations the application's migrations
	 * @return the plan
	 */
	public static DeployPlan of(DataMigrations migrations) {
		List<MigrationInfo> all = migrations.status().migrations();
		Map<MigrationVersion, String> states = all.stream()
			.collect(Collectors.toMap((migration) -> MigrationVersion.parse(migration.version()),
					(migration) -> migration.status().name()));
		Function<String, String> state = (version) -> (version != null) ? states.getOrDefault(parse(version), "UNKNOWN")
				: null;
		return new DeployPlan(
				migrations.pendingSchemaChanges()
					.stream()
					.map((change) -> new Change(change.id(), change.description(), change.waitsFor(),
							state.apply(change.waitsFor())))
					.toList(),
				all.stream()
					.filter((migration) -> !migration.status().isDone())
					.map((migration) -> new Migration(migration.version(), migration.status().name(),
							migration.description()))
					.toList(),
				migrations.postDeployChanges()
					.stream()
					.filter((change) -> !change.applied())
					.map((change) -> new Change(change.id(), change.description(), change.waitsFor(),
							state.apply(change.waitsFor())))
					.toList());
	}

	private static @Nullable MigrationVersion parse(String version) {
		try {
			return MigrationVersion.parse(version);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * The report for people.
	 * @return lines of text
	 */
	public String toText() {
		StringBuilder report = new StringBuilder();
		if (!this.schemaChanges.isEmpty()) {
			report.append("Schema changes, applied first: ").append(this.schemaChanges.size()).append(" pending\n");
			this.schemaChanges.forEach((change) -> report.append(change.line()));
		}
		report.append("Data migration plan: ")
			.append(this.dataMigrations.isEmpty() ? "nothing pending" : this.dataMigrations.size() + " pending")
			.append('\n');
		int width = this.dataMigrations.stream().mapToInt((migration) -> migration.version().length()).max().orElse(0);
		for (Migration migration : this.dataMigrations) {
			report.append(String.format("  %-" + width + "s  %-9s %s%n", migration.version(), migration.status(),
					migration.description()));
		}
		if (!this.postDeployChanges.isEmpty()) {
			report.append("Post-deploy changes, applied after the data migrations: ")
				.append(this.postDeployChanges.size())
				.append(" pending\n");
			this.postDeployChanges.forEach((change) -> report.append(change.line()));
		}
		return report.toString();
	}

	/**
	 * A schema change of the plan.
	 *
	 * @param id its identifier
	 * @param description what it does
	 * @param waitsFor the data migration its finish gate waits for, or {@code null}
	 * @param waitsForStatus that migration's status, or {@code null}
	 */
	public record Change(String id, String description, String waitsFor, String waitsForStatus) {

		String line() {
			return "  " + this.id + "  " + this.description
					+ ((this.waitsFor != null) ? "  [waits for data migration " + this.waitsFor + ", "
							+ this.waitsForStatus + "]" : "")
					+ "\n";
		}

	}

	/**
	 * A data migration of the plan.
	 *
	 * @param version its version
	 * @param status its status
	 * @param description what it does
	 */
	public record Migration(String version, String status, String description) {

	}

}
