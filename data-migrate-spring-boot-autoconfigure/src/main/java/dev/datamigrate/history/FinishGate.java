package dev.datamigrate.history;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.database.Database;
import dev.datamigrate.runner.MigrationVersion;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The finish gate of expand, migrate, contract: whether a data migration is done (SUCCEEDED, SKIPPED or
 * BASELINE) in the history, read on the schema tool's own connection, inside whatever transaction it
 * has open, without committing it or failing a statement in it.
 */
public final class FinishGate {

	private FinishGate() {
	}

	/**
	 * Why a schema change must wait for a data migration.
	 * @param connection the schema tool's connection
	 * @param table the history table, as {@code data-migrate.table-name}
	 * @param version the data migration's version
	 * @return what stops the change, naming the migration and its state; empty when the migration is done
	 */
	public static Optional<String> check(Connection connection, String table, String version) {
		MigrationVersion wanted = parse(version);
		SqlIdentifier.validateTableName(table);
		SingleConnectionDataSource dataSource = new SingleConnectionDataSource(connection, true);
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		if (new HistoryTable(jdbc, Database.of(dataSource), table).existingColumns().isEmpty()) {
			return Optional.of(refusal(version, "has not run in this database (it has no table " + table + ")"));
		}
		List<Map<String, Object>> rows = jdbc
			.queryForList("select version, status, records_processed, records_total from " + table);
		Optional<Map<String, Object>> row = rows.stream()
			.filter((each) -> MigrationVersion.parse((String) each.get("version")).equals(wanted))
			.findFirst();
		if (row.isEmpty()) {
			return Optional.of(refusal(version, "has not run in this database (no row in " + table + ")"));
		}
		String status = (String) row.get().get("status");
		return MigrationStatus.valueOf(status).isDone() ? Optional.empty()
				: Optional.of(refusal(version, "is " + status + progress(row.get())));
	}

	private static MigrationVersion parse(String version) {
		try {
			return MigrationVersion.parse(version);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("The finish gate names data migration version '" + version
					+ "', which is no version: give the version of its @DataMigration, such as 2026.03.05.1", ex);
		}
	}

	private static String progress(Map<String, Object> row) {
		Object processed = row.get("records_processed");
		Object total = row.get("records_total");
		if (total == null) {
			return (processed instanceof Number number && number.longValue() > 0) ? " (" + processed + " rows done)" : "";
		}
		return " (" + ((processed != null) ? processed : 0) + " of " + total + " rows done)";
	}

	private static String refusal(String version, String state) {
		return "Data migration " + version + " " + state + "; this schema change needs it SUCCEEDED, SKIPPED or "
				+ "BASELINE first.";
	}

	/**
	 * The way out that every schema tool shares.
	 * @return the last sentence of a refusal
	 */
	public static String skipWayOut() {
		return "If the data migration must never run, skip it (DataMigrations.skip or the datamigrations endpoint).";
	}

}
