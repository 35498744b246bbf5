package dev.datamigrate.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;

import dev.datamigrate.testsupport.TestDatabase.Kind;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Finds the PostgreSQL and MariaDB servers the tests run against, in this order: JDBC URLs from the
 * environment ({@code DATA_MIGRATE_TEST_POSTGRESQL_URL}, {@code DATA_MIGRATE_TEST_MARIADB_URL}, with
 * {@code _USERNAME} and {@code _PASSWORD}); Testcontainers where Docker runs; the servers on
 * localhost's standard ports. When none answers, the test fails and says how to provide one: a
 * database test never skips silently.
 */
public final class DatabaseServers {

	private static final Map<Kind, Server> servers = new EnumMap<>(Kind.class);

	private DatabaseServers() {
	}

	/**
	 * The server of a kind, found once per JVM.
	 * @param kind the kind
	 * @return the server
	 * @throws IllegalStateException if no server of the kind answers
	 */
	public static synchronized Server get(Kind kind) {
		return servers.computeIfAbsent(kind, DatabaseServers::find);
	}

	private static Server find(Kind kind) {
		String prefix = "DATA_MIGRATE_TEST_" + kind.name() + "_";
		String url = System.getenv(prefix + "URL");
		if (url != null) {
			return check(new Server(url, env(prefix + "USERNAME", defaultUser(kind)), env(prefix + "PASSWORD", ""),
					"environment " + prefix + "URL"));
		}
		if (dockerAvailable()) {
			return started(kind);
		}
		Server local = (kind == Kind.POSTGRESQL)
				? new Server("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "", "localhost:5432")
				: new Server("jdbc:mariadb://127.0.0.1:3306/test", "root", "", "localhost:3306");
		return check(local);
	}

	private static Server check(Server server) {
		try (Connection connection = DriverManager.getConnection(server.url(), server.username(), server.password())) {
			System.out.println("[data-migrate tests] " + connection.getMetaData().getDatabaseProductName() + " "
					+ connection.getMetaData().getDatabaseProductVersion() + " from " + server.source());
			return server;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("No database server answered at " + server.url() + " (" + server.source()
					+ "): " + ex.getMessage() + ". These tests need a real server and never skip. Provide one by "
					+ "setting DATA_MIGRATE_TEST_POSTGRESQL_URL / DATA_MIGRATE_TEST_MARIADB_URL (with _USERNAME and "
					+ "_PASSWORD), by running Docker for Testcontainers, or by starting PostgreSQL on "
					+ "127.0.0.1:5432 (user postgres, database test) and MariaDB on 127.0.0.1:3306 (user root, "
					+ "database test); .ci/run starts the local ones.", ex);
		}
	}

	private static Server started(Kind kind) {
		JdbcDatabaseContainer<?> container = (kind == Kind.POSTGRESQL) ? new PostgreSQLContainer("postgres:17")
				: new MariaDBContainer("mariadb:11").withUsername("root").withPassword("test");
		container.start();
		return check(new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
				"Testcontainers " + container.getDockerImageName()));
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

	private static String defaultUser(Kind kind) {
		return (kind == Kind.POSTGRESQL) ? "postgres" : "root";
	}

	/**
	 * A database server.
	 *
	 * @param url JDBC URL of a database from which schemas or databases can be created
	 * @param username the user
	 * @param password the password
	 * @param source how it was found
	 */
	public record Server(String url, String username, String password, String source) {

	}

}
