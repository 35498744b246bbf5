package dev.datamigrate.traffic;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.Http;
import dev.datamigrate.testsupport.Http.Response;
import dev.datamigrate.testsupport.PrivatePostgres;
import dev.datamigrate.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A {@link ThrottledApplication} on a new database of a private PostgreSQL server, with its items,
 * backfilled in batches of 100, 20 ms apart, when asked over HTTP.
 */
final class ThrottledInstance implements AutoCloseable {

	private final ConfigurableApplicationContext application;

	private final Http http;

	private ThrottledInstance(ConfigurableApplicationContext application) {
		this.application = application;
		this.http = new Http(((WebServerApplicationContext) application).getWebServer().getPort());
	}

	/**
	 * Create a database owned by a role, and its items.
	 * @param server the server
	 * @param owner the role that owns the database and its tables
	 * @param rows how many items
	 * @return the database's name
	 */
	static String createDatabase(PrivatePostgres server, String owner, int rows) throws Exception {
		String database = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
			statement.execute("create database " + database + " owner " + owner);
		}
		try (HikariDataSource dataSource = dataSource(server, database, owner)) {
			Items.create(new JdbcTemplate(dataSource), TestDatabase.Kind.POSTGRESQL, rows);
		}
		return database;
	}

	static HikariDataSource dataSource(PrivatePostgres server, String database, String user) {
		HikariDataSource dataSource = server.dataSource();
		dataSource.setJdbcUrl(server.jdbcUrl(database));
		dataSource.setUsername(user);
		return dataSource;
	}

	static ThrottledInstance start(PrivatePostgres server, String database, String user, String... extra) {
		List<String> arguments = new ArrayList<>(List.of("--spring.datasource.url=" + server.jdbcUrl(database),
				"--spring.datasource.username=" + user, "--spring.datasource.password=", "--server.port=0",
				"--data-migrate.on-startup=skip", "--data-migrate.batch.size=100", "--data-migrate.batch.pause=20ms",
				"--management.endpoint.datamigrations.access=unrestricted",
				"--management.endpoints.web.exposure.include=datamigrations"));
		arguments.addAll(List.of(extra));
		return new ThrottledInstance(SpringApplication.run(ThrottledApplication.class, arguments.toArray(String[]::new)));
	}

	Http http() {
		return this.http;
	}

	<T> T bean(Class<T> type) {
		return this.application.getBean(type);
	}

	/** Start the pending migrations in the background, as an operator would. */
	void runPending() {
		Response started = this.http.post("/actuator/datamigrations", null);
		if (started.status() != 202) {
			throw new IllegalStateException("Run not started: " + started);
		}
	}

	Response migration() {
		return this.http.get("/actuator/datamigrations/1");
	}

	String status() {
		return migration().read("$.status");
	}

	String throttledBy() {
		return migration().read("$.throttledBy");
	}

	long batchesDone() {
		return ((Number) migration().read("$.batchesDone")).longValue();
	}

	double throttledGauge() {
		return bean(MeterRegistry.class).get("data.migration.throttled").tag("version", "1").gauge().value();
	}

	double secondsThrottled() {
		return bean(MeterRegistry.class).get("data.migration.throttled.duration").tag("version", "1").counter().count();
	}

	@Override
	public void close() {
		this.application.close();
	}

}
