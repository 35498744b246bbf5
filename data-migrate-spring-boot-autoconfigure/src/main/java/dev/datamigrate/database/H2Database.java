package dev.datamigrate.database;

import java.time.Duration;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * H2: a lease, and limits that are session settings, put back before the transaction ends to the values
 * the database had when the application started.
 */
final class H2Database extends Database {

	private final String lockTimeout;

	private final String queryTimeout;

	private H2Database(String lockTimeout, String queryTimeout) {
		this.lockTimeout = lockTimeout;
		this.queryTimeout = queryTimeout;
	}

	static H2Database of(JdbcTemplate jdbc) {
		return new H2Database(setting(jdbc, "LOCK_TIMEOUT", "10000"), setting(jdbc, "QUERY_TIMEOUT", "0"));
	}

	private static String setting(JdbcTemplate jdbc, String name, String fallback) {
		return jdbc
			.queryForList("select setting_value from information_schema.settings where setting_name = ?", String.class,
					name)
			.stream()
			.filter((value) -> value.matches("\\d+"))
			.findFirst()
			.orElse(fallback);
	}

	@Override
	protected String longText() {
		return "clob";
	}

	@Override
	protected String timestamp() {
		return "timestamp with time zone";
	}

	@Override
	public String limitTransaction(Duration lockTimeout, Duration statementTimeout, boolean asynchronousCommit) {
		return "set lock_timeout " + lockTimeout.toMillis() + "; set query_timeout " + statementTimeout.toMillis();
	}

	@Override
	public String restoreSession() {
		return "set lock_timeout " + this.lockTimeout + "; set query_timeout " + this.queryTimeout;
	}

}
