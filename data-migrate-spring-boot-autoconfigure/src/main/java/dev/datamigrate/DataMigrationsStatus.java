package dev.datamigrate;

import java.util.List;
import java.util.Optional;

/**
 * Every known data migration, in version order, with counts by state.
 *
 * @param migrations the migrations in version order
 */
public record DataMigrationsStatus(List<MigrationInfo> migrations) {

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
