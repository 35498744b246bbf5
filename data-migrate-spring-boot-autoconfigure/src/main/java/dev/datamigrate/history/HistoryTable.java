package dev.datamigrate.history;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.database.Database;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The history table's columns, its DDL and how a row reads: created when absent, and given the columns
 * added since a table was created by an earlier version of the starter.
 */
final class HistoryTable {

	/** Each column and the kind of its type, as {@link Database#type} reads it. */
	private static final Map<String, String> COLUMNS = new LinkedHashMap<>();

	static {
		COLUMNS.put("version", "text(100) not null primary key");
		COLUMNS.put("description", "text(1000)");
		COLUMNS.put("class_name", "text(500)");
		COLUMNS.put("status", "text(20) not null");
		COLUMNS.put("attempts", "integer default 0 not null");
		COLUMNS.put("started_at", "timestamp");
		COLUMNS.put("finished_at", "timestamp");
		COLUMNS.put("duration_ms", "bigint");
		COLUMNS.put("records_total", "bigint");
		COLUMNS.put("records_processed", "bigint default 0 not null");
		COLUMNS.put("batches_done", "bigint default 0 not null");
		COLUMNS.put("checkpoint", "text(1000)");
		COLUMNS.put("error", "long-text");
		COLUMNS.put("executed_by", "text(255)");
		COLUMNS.put("triggered_by", "text(255)");
		COLUMNS.put("owner_token", "text(64)");
		COLUMNS.put("updated_at", "timestamp");
		// added in 0.1: a table created before gets them by alter table
		COLUMNS.put("batch_size", "integer");
		COLUMNS.put("heartbeat_at", "timestamp");
		COLUMNS.put("throttled_by", "text(1000)");
		COLUMNS.put("throttled_since", "timestamp");
		COLUMNS.put("app_version", "text(100)");
		COLUMNS.put("rows_per_second", "double precision");
	}

	/** The columns a select reads. */
	static final String SELECTED = String.join(", ", COLUMNS.keySet());

	private final JdbcTemplate jdbc;

	private final Database database;

	private final String table;

	HistoryTable(JdbcTemplate jdbc, Database database, String table) {
		this.jdbc = jdbc;
		this.database = database;
		this.table = table;
	}

	/**
	 * The columns the table has, lower case, as the connection's metadata sees it in the current schema,
	 * or in the schema the table name is qualified with; none when it does not exist.
	 */
	List<String> existingColumns() {
		String query = this.database.columnsQuery();
		if (query != null) {
			int dot = this.table.indexOf('.');
			return this.jdbc.queryForList(query, String.class, this.table.substring(dot + 1).toLowerCase(Locale.ROOT),
					(dot > 0) ? this.table.substring(0, dot).toLowerCase(Locale.ROOT) : "");
		}
		return this.jdbc.execute((ConnectionCallback<List<String>>) this::existingColumns);
	}

	private List<String> existingColumns(Connection connection) throws SQLException {
		DatabaseMetaData metaData = connection.getMetaData();
		int dot = this.table.indexOf('.');
		String schema = (dot > 0) ? this.table.substring(0, dot) : null;
		String name = this.table.substring(dot + 1);
		String catalog = connection.getCatalog();
		if (this.database.schemasAreCatalogs()) {
			catalog = (schema != null) ? schema : catalog;
			schema = null;
		}
		else if (schema == null) {
			schema = connection.getSchema();
		}
		List<String> columns = new ArrayList<>();
		try (ResultSet rows = metaData.getColumns(catalog, pattern(metaData, schema), pattern(metaData, name), null)) {
			while (rows.next()) {
				columns.add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
			}
		}
		return columns;
	}

	private static @Nullable String pattern(DatabaseMetaData metaData, @Nullable String identifier) throws SQLException {
		if (identifier == null) {
			return null;
		}
		String stored = metaData.storesUpperCaseIdentifiers() ? identifier.toUpperCase(Locale.ROOT)
				: metaData.storesLowerCaseIdentifiers() ? identifier.toLowerCase(Locale.ROOT) : identifier;
		return stored.replace("_", metaData.getSearchStringEscape() + "_");
	}

	/**
	 * Whether the table exists with every column, so that it needs no {@link #createOrUpgrade()}.
	 */
	boolean isCurrent() {
		return existingColumns().containsAll(COLUMNS.keySet());
	}

	/**
	 * Create the table, or add the columns it lacks.
	 */
	void createOrUpgrade() {
		List<String> existing = existingColumns();
		if (existing.isEmpty()) {
			this.jdbc.execute("create table if not exists " + this.table + " (" + COLUMNS.entrySet()
				.stream()
				.map((column) -> column.getKey() + " " + type(column.getValue()))
				.collect(Collectors.joining(", ")) + ")");
			return;
		}
		COLUMNS.forEach((column, kind) -> {
			if (!existing.contains(column)) {
				this.jdbc.execute("alter table " + this.table + " add " + column + " " + type(kind));
			}
		});
	}

	private String type(String declaration) {
		int space = declaration.indexOf(' ');
		String kind = (space > 0) ? declaration.substring(0, space) : declaration;
		return this.database.type(kind) + ((space > 0) ? declaration.substring(space) : "");
	}

	/**
	 * The row a result set is on, as a record.
	 */
	static HistoryRecord map(ResultSet rs, int row) throws SQLException {
		return new HistoryRecord(rs.getString("version"), rs.getString("description"), rs.getString("class_name"),
				MigrationStatus.valueOf(rs.getString("status")), rs.getInt("attempts"), instant(rs, "started_at"),
				instant(rs, "finished_at"), nullableLong(rs, "duration_ms"), nullableLong(rs, "records_total"),
				rs.getLong("records_processed"), rs.getLong("batches_done"), rs.getString("checkpoint"),
				rs.getString("error"), rs.getString("executed_by"), rs.getString("triggered_by"),
				rs.getString("owner_token"), instant(rs, "updated_at"), nullableInteger(rs, "batch_size"),
				instant(rs, "heartbeat_at"), rs.getString("throttled_by"), instant(rs, "throttled_since"),
				rs.getString("app_version"), nullableDouble(rs, "rows_per_second"));
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
		long value = rs.getLong(column);
		return rs.wasNull() ? null : value;
	}

	private static @Nullable Double nullableDouble(ResultSet rs, String column) throws SQLException {
		double value = rs.getDouble(column);
		return rs.wasNull() ? null : value;
	}

	private static @Nullable Integer nullableInteger(ResultSet rs, String column) throws SQLException {
		int value = rs.getInt(column);
		return rs.wasNull() ? null : value;
	}

}
