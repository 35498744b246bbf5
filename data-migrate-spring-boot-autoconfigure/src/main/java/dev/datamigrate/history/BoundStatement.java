package dev.datamigrate.history;

import java.util.Arrays;
import java.util.List;

/**
 * An SQL statement with its {@code ?} parameters' values.
 *
 * @param sql the statement
 * @param args the values, in the order of the statement's parameters
 */
public record BoundStatement(String sql, List<Object> args) {

	/**
	 * A statement with its values.
	 * @param sql the statement
	 * @param args the values, in the order of the statement's parameters; {@code null} is SQL null
	 * @return the bound statement
	 */
	public static BoundStatement of(String sql, Object... args) {
		return new BoundStatement(sql, Arrays.asList(args.clone()));
	}

}
