package dev.datamigrate.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A database made for one test: its own PostgreSQL schema, MariaDB database or H2 in-memory database,
 * dropped when closed, so reruns and parallel runs do not meet.
 *
 * @param kind the kind of server
 * @param name the name of the test's schema or database
 * @param url the JDBC URL of the test's own database
 * @param username the user
 * @param password the password
 */
public record TestDatabase(Kind kind, String name, String url, String username, String password) implements AutoCloseable {

	/**
	 * Make a new database on a server of a kind.
	 * @param kind the kind of server
	 * @return the database
	 */
	public static TestDatabase create(Kind kind) {
		String name = "dm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		if (kind == Kind.H2) {
			return new TestDatabase(kind, name, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
		}
		DatabaseServers.Server server = DatabaseServers.get(kind);
		execute(server.url(), server.username(), server.password(), kind.createSql(name));
		return new TestDatabase(kind, name, kind.databaseUrl(server.url(), name), server.username(), server.password());
	}

	/**
	 * A new pooled data source on this database; close it when done.
	 * @return the data source
	 */
	public HikariDataSource dataSource() {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(this.url);
		dataSource.setUsername(this.username);
		dataSource.setPassword(this.password);
		dataSource.setMaximumPoolSize(5);
		return dataSource;
	}

	/**
	 * Spring Boot properties that point an application at this database.
	 * @return the properties as {@code key=value}
	 */
	public List<String> properties() {
		List<String> properties = new ArrayList<>();
		properties.add("spring.datasource.url=" + this.url);
		properties.add("spring.datasource.username=" + this.username);
		properties.add("spring.datasource.password=" + this.password);
		properties.add("spring.datasource.hikari.maximum-pool-size=4");
		return properties;
	}

	/**
	 * The same properties as command-line arguments.
	 * @return the arguments
	 */
	public List<String> arguments() {
		return properties().stream().map((property) -> "--" + property).toList();
	}

	/**
	 * Open a plain connection to this database.
	 * @return the connection
	 * @throws SQLException on failure
	 */
	public Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.username, this.password);
	}

	@Override
	public void close() {
		if (this.kind == Kind.H2) {
			execute(this.url, this.username, this.password, "shutdown");
			return;
		}
		DatabaseServers.Server server = DatabaseServers.get(this.kind);
		try {
			execute(server.url(), server.username(), server.password(), this.kind.dropSql(this.name));
		}
		catch (RuntimeException ex) {
			// a database still in use by a killed process is left to the server
		}
	}

	static void execute(String url, String username, String password, String sql) {
		try (Connection connection = DriverManager.getConnection(url, username, password);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Failed to run '" + sql + "' on " + url, ex);
		}
	}

	/**
	 * The kinds of database the tests run on.
	 */
	public enum Kind {

		/** PostgreSQL: one schema per test. */
		POSTGRESQL,

		/** MariaDB: one database per test. */
		MARIADB,

		/** H2 in memory. */
		H2;

		String createSql(String name) {
			return (this == POSTGRESQL ? "create schema " : "create database ") + name;
		}

		String dropSql(String name) {
			return (this == POSTGRESQL) ? "drop schema " + name + " cascade" : "drop database " + name;
		}

		String databaseUrl(String serverUrl, String name) {
			if (this == POSTGRESQL) {
				return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
			}
			int query = serverUrl.indexOf('?');
			String base = (query < 0) ? serverUrl : serverUrl.substring(0, query);
			String parameters = (query < 0) ? "" : serverUrl.substring(query);
			return base.substring(0, base.lastIndexOf('/') + 1) + name + parameters;
		}

	}

}
