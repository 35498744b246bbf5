package dev.datamigrate.batch;

import java.util.ArrayList;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.datamigrate.Batches.Batch;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.SqlProvider;
import org.springframework.jdbc.core.SqlParameter;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The statement of {@link dev.datamigrate.Batches#update(String, Map)}, parsed once and bound to each
 * batch's keys.
 */
final class BatchStatement {

	private static final Set<String> KEYS = Set.of("first", "last", "keys");

	private final String written;

	private final ParsedSql parsed;

	private final Map<String, ?> parameters;

	private final boolean namesKeys;

	BatchStatement(String sql, Map<String, ?> parameters) {
		Assert.isTrue(StringUtils.hasText(sql), "Batch statement must not be empty");
		Assert.notNull(parameters, "Batch statement parameters must not be null; pass Map.of() for none");
		parameters.keySet().forEach((name) -> {
			Assert.notNull(name, "Batch statement parameters must not have a null name");
			Assert.isTrue(!KEYS.contains(name), () -> "Batch statement parameter '" + name
					+ "' is the name of a key of the batch; give the value another name");
		});
		this.written = StringUtils.trimTrailingCharacter(sql.strip(), ';');
		this.parsed = NamedParameterUtils.parseSqlStatement(this.written);
		this.parameters = new HashMap<>(parameters);
		List<String> names = NamedParameterUtils.buildSqlParameterList(this.parsed, new MapSqlParameterSource())
			.stream()
			.map(SqlParameter::getName)
			.toList();
		Assert.isTrue(names.stream().anyMatch(KEYS::contains), () -> "Batch statement names no key of the batch, "
				+ "so every batch would change the same rows; restrict it with :first and :last or :keys, as in "
				+ "'... where id between :first and :last': " + sql);
		this.namesKeys = names.contains("keys");
		names.forEach((name) -> Assert.isTrue(KEYS.contains(name) || parameters.containsKey(name),
				() -> "Batch statement parameter ':" + name + "' has no value; the batch's keys are :first, :last "
						+ "and :keys, and other values go in update(sql, parameters): " + sql));
	}

	/**
	 * Run the statement for a batch.
	 * @return the rows it changed
	 */
	long update(JdbcTemplate jdbc, Batch<?> batch) {
		MapSqlParameterSource values = new MapSqlParameterSource(this.parameters).addValue("first", batch.first())
			.addValue("last", batch.last());
		if (this.namesKeys) {
			values.addValue("keys", batch.keys());
		}
		String sql = NamedParameterUtils.substituteNamedParameters(this.parsed, values);
		List<Object> args = new ArrayList<>();
		for (Object value : NamedParameterUtils.buildValueArray(this.parsed, values, null)) {
			args.addAll(expanded(value));
		}
		return jdbc.update(new Written(sql, args.toArray(), this.written));
	}

	/**
	 * A value as the placeholders {@code substituteNamedParameters} wrote for it: a list's elements (or a
	 * list of tuples' values) each their own, keeping a declared SQL type.
	 */
	private static List<Object> expanded(Object value) {
		Object inner = (value instanceof SqlParameterValue typed) ? typed.getValue() : value;
		if (!(inner instanceof Iterable<?> elements)) {
			return Collections.singletonList(value);
		}
		List<Object> args = new ArrayList<>();
		for (Object element : elements) {
			for (Object single : (element instanceof Object[] tuple) ? Arrays.asList(tuple)
					: Collections.singletonList(element)) {
				args.add((value instanceof SqlParameterValue typed) ? new SqlParameterValue(typed, single) : single);
			}
		}
		return args;
	}

	/**
	 * The statement for a batch, named in JdbcTemplate's errors as its author wrote it.
	 */
	private record Written(String sql, Object[] args, String written) implements PreparedStatementCreator, SqlProvider {

		@Override
		public PreparedStatement createPreparedStatement(Connection connection) throws SQLException {
			PreparedStatement statement = connection.prepareStatement(this.sql);
			new ArgumentPreparedStatementSetter(this.args).setValues(statement);
			return statement;
		}

		@Override
		public String getSql() {
			return this.written;
		}

	}

}
