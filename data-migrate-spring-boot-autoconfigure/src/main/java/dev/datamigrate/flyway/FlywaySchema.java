package dev.datamigrate.flyway;

import java.util.Arrays;
import java.util.List;

import dev.datamigrate.DataMigrations.SchemaChange;
import dev.datamigrate.runner.SchemaTool;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The application's Flyway as the runner sees it: its pending migrations, which a run waits for.
 */
public class FlywaySchema implements SchemaTool {

	private final Flyway flyway;

	/**
	 * Create the schema tool of the application's Flyway.
	 * @param flyway the application's Flyway
	 */
	public FlywaySchema(Flyway flyway) {
		this.flyway = flyway;
	}

	@Override
	public List<SchemaChange> pending() {
		return Arrays.stream(this.flyway.info().pending()).map(FlywaySchema::change).toList();
	}

	private static SchemaChange change(MigrationInfo migration) {
		String id = (migration.getVersion() != null) ? migration.getVersion().getVersion() : migration.getScript();
		return new SchemaChange(id, migration.getDescription(), null);
	}

}
