package dev.datamigrate.history;

import java.util.Arrays;
import java.util.List;

/**
 * An SQL statement with its {@code ?} parameters' values.
 *
 * @param sql the statement
 * @param args the values, in the order of the statement's parameters; {@code null} is SQL null
 * @param written the statement as its author wrote it, for messages: named parameters, lists not expanded
 */
public record BoundStatement(String sql, List<Object> args, String written) {

	/**
	 * A statement with its values, written as it is sent.
	 * @param sql the statement
	 * @param args the values, in the order of the statement's parameters; {@code null} is SQL null
	 * @return the bound statement
	 */
	public static BoundStatement of(String sql, Object... args) {
		return new BoundStatement(sql, Arrays.asList(args.clone()), sql);
	}

	/**
	 * This statement with text before and after it, and the same values.
	 * @param prefix what goes before
	 * @param suffix what goes after
	 * @return the statement
	 */
	BoundStatement around(String prefix, String suffix) {
		return new BoundStatement(prefix + this.sql + suffix, this.args, prefix + this.written + suffix);
	}

}
