package dev.datamigrate.actuate.health;

import java.util.List;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.DataMigrations.DataMigrationsStatus;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * DOWN while a data migration is FAILED, naming it; UP otherwise. Details give the pending, running,
 * interrupted (RUNNING in the history, with no runner alive) and failed counts, and the schema changes
 * still pending, which runs wait for.
 */
public class DataMigrationsHealthIndicator extends AbstractHealthIndicator {

	private final DataMigrations migrations;

	/**
	 * Create the indicator.
	 * @param migrations the migrations
	 */
	public DataMigrationsHealthIndicator(DataMigrations migrations) {
		super("Data migrations health check failed");
		this.migrations = migrations;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		DataMigrationsStatus status = this.migrations.status();
		List<String> failed = status.migrations()
			.stream()
			.filter((migration) -> migration.status() == MigrationStatus.FAILED)
			.map(MigrationInfo::version)
			.toList();
		(failed.isEmpty() ? builder.up() : builder.down().withDetail("failedVersions", failed))
			.withDetail("pending", status.pending())
			.withDetail("running", status.running())
			.withDetail("interrupted", status.interrupted())
			.withDetail("failed", status.failed())
			.withDetail("schemaChangesPending", this.migrations.pendingSchemaChanges().size());
	}

}
