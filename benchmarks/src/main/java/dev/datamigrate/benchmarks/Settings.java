package dev.datamigrate.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;

/**
 * What to run, from system properties ({@code -Dbenchmark.rows=...}) or environment variables
 * ({@code BENCHMARK_ROWS=...}); blank values count as absent.
 *
 * @param url JDBC URL of the database
 * @param user database user
 * @param password database password
 * @param rows rows of the table of each measured run
 * @param rounds measured rounds
 * @param warmupRows rows of the table of the warm-up
 * @param jpaRows rows after which the JPA loop stops
 * @param delayMicros how long the relay holds each chunk of bytes in each direction; 0 for no relay
 * @param note added to the report's load note
 * @param output where the report is written
 * @param traffic whether to measure the backfill's impact on pgbench's traffic (see {@link Traffic})
 * @param pgbench the pgbench executable
 * @param p99Factor the throttle of the traffic part holds the backfill while pgbench's p99 of the last second
 * is above this many times its p99 alone
 * @param start when the run started
 */
record Settings(String url, String user, String password, int rows, int rounds, int warmupRows, int jpaRows,
		int delayMicros, String note, Path output, boolean traffic, String pgbench, double p99Factor,
		ZonedDateTime start) {

	static final String COMMAND = "./mvnw -q -pl benchmarks -am -Dmaven.test.skip=true -Pbenchmark package "
			+ "-Dbenchmark.rows=1000000 -Dbenchmark.rounds=3";

	private static final Pattern HOST_AND_PORT = Pattern.compile("^(jdbc:postgresql:)//([^/:?,]+)(?::(\\d+))?/");

	static Settings fromSystem() {
		return new Settings(get("url", "jdbc:postgresql://127.0.0.1:5432/test"), get("user", "postgres"),
				get("password", ""), Integer.parseInt(get("rows", "1000000")), Integer.parseInt(get("rounds", "3")),
				Integer.parseInt(get("warmup-rows", "100000")), Integer.parseInt(get("jpa-rows", "100000")),
				Integer.parseInt(get("delay-us", "0")), get("note", ""), Path.of(get("output", "BENCHMARKS.md")),
				Boolean.parseBoolean(get("traffic", "true")), get("pgbench", "pgbench"),
				Double.parseDouble(get("p99-factor", "2")), ZonedDateTime.now());
	}

	/** A relay to the database that delays every chunk by {@link #delayMicros()}. */
	DelayingRelay relay() throws IOException {
		Matcher address = HOST_AND_PORT.matcher(this.url);
		if (!address.find()) {
			throw new IllegalArgumentException("-Dbenchmark.delay-us needs a URL with one host, as in "
					+ "jdbc:postgresql://127.0.0.1:5432/test, not " + this.url);
		}
		int port = (address.group(3) != null) ? Integer.parseInt(address.group(3)) : 5432;
		return DelayingRelay.start(address.group(2), port, this.delayMicros);
	}

	/** These settings with the URL of the relay, if there is one. */
	Settings through(DelayingRelay relay) {
		if (relay == null) {
			return this;
		}
		String url = HOST_AND_PORT.matcher(this.url).replaceFirst("$1//127.0.0.1:" + relay.port() + "/");
		return new Settings(url, this.user, this.password, this.rows, this.rounds, this.warmupRows, this.jpaRows,
				this.delayMicros, this.note, this.output, this.traffic, this.pgbench, this.p99Factor, this.start);
	}

	private static String get(String name, String fallback) {
		String value = System.getProperty("benchmark." + name);
		if (value == null || value.isBlank()) {
			value = System.getenv("BENCHMARK_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
		}
		return (value == null || value.isBlank()) ? fallback : value;
	}

	/** Host and port of the database (not of the relay), for pgbench. */
	String[] hostAndPort() {
		Matcher address = HOST_AND_PORT.matcher(this.url);
		if (!address.find()) {
			throw new IllegalArgumentException("The traffic part (pgbench) needs a URL with one host, as in "
					+ "jdbc:postgresql://127.0.0.1:5432/test, not " + this.url + "; -Dbenchmark.traffic=false skips it");
		}
		return new String[] { address.group(2), (address.group(3) != null) ? address.group(3) : "5432" };
	}

	/**
	 * A small pool on the benchmark's schema, for its own statements.
	 * @param schema the schema
	 * @return the data source
	 */
	HikariDataSource dataSource(String schema) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(urlWithSchema(schema));
		dataSource.setUsername(user());
		dataSource.setPassword(password());
		dataSource.setMaximumPoolSize(2);
		return dataSource;
	}

	String urlWithSchema(String schema) {
		return this.url + (this.url.contains("?") ? "&" : "?") + "currentSchema=" + schema
				+ "&ApplicationName=data-migrate-benchmark";
	}

	/** The command that reproduces this run. */
	String command() {
		String command = COMMAND;
		if (this.rows != 1_000_000) {
			command = command.replace("-Dbenchmark.rows=1000000", "-Dbenchmark.rows=" + this.rows);
		}
		if (this.rounds != 3) {
			command = command.replace("-Dbenchmark.rounds=3", "-Dbenchmark.rounds=" + this.rounds);
		}
		if (this.warmupRows != 100_000) {
			command += " -Dbenchmark.warmup-rows=" + this.warmupRows;
		}
		if (this.jpaRows != 100_000) {
			command += " -Dbenchmark.jpa-rows=" + this.jpaRows;
		}
		if (this.delayMicros != 0) {
			command += " -Dbenchmark.delay-us=" + this.delayMicros;
		}
		if (!this.traffic) {
			command += " -Dbenchmark.traffic=false";
		}
		if (this.p99Factor != 2) {
			command += " -Dbenchmark.p99-factor=" + this.p99Factor;
		}
		// Maven passes the output under the repository root, the parent of the module's directory it runs in
		Path root = Path.of("").toAbsolutePath().getParent();
		Path output = (root != null && this.output.startsWith(root)) ? root.relativize(this.output) : this.output;
		if (!output.toString().equals("BENCHMARKS.md")) {
			command += " -Dbenchmark.output=" + output;
		}
		return command;
	}

}
