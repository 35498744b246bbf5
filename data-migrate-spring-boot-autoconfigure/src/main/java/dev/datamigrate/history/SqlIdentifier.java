package dev.datamigrate.history;

import java.util.regex.Pattern;

import dev.datamigrate.DataMigrationException;

/**
 * Checks names that the starter writes into SQL as they are: the history table, and the tables and
 * columns of batch runs.
 */
public final class SqlIdentifier {

	private static final Pattern IDENTIFIER = Pattern
		.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

	private SqlIdentifier() {
	}

	/**
	 * Whether a name is an unquoted SQL identifier, optionally qualified by a schema.
	 * @param name the name
	 * @return whether it is valid
	 */
	public static boolean isValid(String name) {
		return name != null && IDENTIFIER.matcher(name).matches();
	}

	/**
	 * Check the configured history table name.
	 * @param name the configured name
	 * @return the name
	 * @throws DataMigrationException if it is not an SQL identifier, optionally qualified by a schema
	 */
	public static String validateTableName(String name) {
		if (!isValid(name)) {
			throw new DataMigrationException("data-migrate.table-name '" + name + "' is not a valid SQL identifier",
					"Set data-migrate.table-name to letters, digits and underscores, not starting with a digit, "
							+ "at most 63 characters, optionally prefixed by a schema and a dot (such as "
							+ "ops.data_migrations), or remove it to use the default data_migrations.",
					null);
		}
		return name;
	}

}
