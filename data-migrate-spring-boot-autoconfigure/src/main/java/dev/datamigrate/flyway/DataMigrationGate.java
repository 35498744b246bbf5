package dev.datamigrate.flyway;

import java.sql.Connection;

import dev.datamigrate.history.FinishGate;
import org.flywaydb.core.api.FlywayException;

/**
 * The finish gate for Flyway: a Java migration or callback that contracts the schema calls it first, so
 * that it fails unless a data migration is SUCCEEDED, SKIPPED or BASELINE in this database.
 * <pre class="code">
 * public void migrate(Context context) throws Exception {
 *     DataMigrationGate.requireFinished(context.getConnection(), "2026.03.05.1");
 *     ...
 * }
 * </pre>
 */
public final class DataMigrationGate {

	private static final String DEFAULT_TABLE = "data_migrations";

	private DataMigrationGate() {
	}

	/**
	 * Fail unless the data migration is done, in the default history table.
	 * @param connection Flyway's connection
	 * @param version the version of the data migration's {@code @DataMigration}
	 * @throws FlywayException naming the migration, its state and the way out, if it is not done
	 */
	public static void requireFinished(Connection connection, String version) {
		requireFinished(connection, DEFAULT_TABLE, version);
	}

	/**
	 * Fail unless the data migration is done.
	 * @param connection Flyway's connection
	 * @param table the history table, as {@code data-migrate.table-name}
	 * @param version the version of the data migration's {@code @DataMigration}
	 * @throws FlywayException naming the migration, its state and the way out, if it is not done
	 */
	public static void requireFinished(Connection connection, String table, String version) {
		FinishGate.check(connection, table, version).ifPresent((refusal) -> {
			throw new FlywayException(refusal + " Deploy this Flyway migration only once the data migration has "
					+ "finished (data migrations run after Flyway, so in a later release). " + FinishGate.skipWayOut());
		});
	}

}
