package dev.datamigrate.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.fixtures.BodyRuns;
import dev.datamigrate.testsupport.TestDatabase;
import dev.datamigrate.testsupport.TestDatabase.Kind;
import org.junit.jupiter.api.AfterEach;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the tests of this package share: a fresh database on a real server, the child JVMs started
 * on it (always killed after the test), and the queries a user would run to check the outcome.
 */
abstract class ChildJvmTestSupport {

	static final String HISTORY = "data_migrations";

	private final List<ChildJvm> children = new ArrayList<>();

	TestDatabase database;

	HikariDataSource dataSource;

	JdbcTemplate jdbc;

	void useDatabase(Kind kind) {
		this.database = TestDatabase.create(kind);
		this.dataSource = this.database.dataSource();
		this.jdbc = new JdbcTemplate(this.dataSource);
	}

	@AfterEach
	void killChildrenAndDropDatabase() throws InterruptedException {
		for (ChildJvm child : this.children) {
			child.close();
		}
		this.children.clear();
		if (this.dataSource != null) {
			this.dataSource.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	/**
	 * Start an instance of the application on the test's database.
	 * @param label names its output files
	 * @param configuration its migrations
	 * @param arguments more Spring Boot arguments, which replace the database's of the same name
	 * @return the running instance
	 * @throws Exception if it could not start
	 */
	ChildJvm start(String label, Class<?> configuration, String... arguments) throws Exception {
		List<String> all = new ArrayList<>();
		// Spring Boot joins the values of an argument given twice with a comma: give each name once
		for (String argument : this.database.arguments()) {
			if (Stream.of(arguments).noneMatch((given) -> given.startsWith(name(argument) + "="))) {
				all.add(argument);
			}
		}
		all.add("--spring.main.banner-mode=off");
		all.addAll(List.of(arguments));
		ChildJvm child = ChildJvm.start(this.database.kind() + "-" + label, configuration, all);
		this.children.add(child);
		return child;
	}

	/**
	 * Run an instance to its end.
	 * @param label names its output files
	 * @param configuration its migrations
	 * @param arguments more Spring Boot arguments
	 * @return the instance, exited
	 * @throws Exception if it could not start or did not end within a minute
	 */
	Exited runToEnd(String label, Class<?> configuration, String... arguments) throws Exception {
		ChildJvm child = start(label, configuration, arguments);
		int code = child.awaitExit(Duration.ofSeconds(90));
		return new Exited(child, code);
	}

	private static String name(String argument) {
		int equals = argument.indexOf('=');
		return (equals < 0) ? argument : argument.substring(0, equals);
	}

	/** The tables in the test's schema or database. */
	List<String> tables() {
		return this.jdbc.queryForList(
				"select lower(table_name) from information_schema.tables where table_schema = ? order by 1",
				String.class, this.database.name());
	}

	/** The history rows by version, empty when the table does not exist. */
	Map<String, Map<String, Object>> history() {
		Map<String, Map<String, Object>> rows = new TreeMap<>();
		if (!tables().contains(HISTORY)) {
			return rows;
		}
		for (Map<String, Object> row : this.jdbc.queryForList("select * from " + HISTORY)) {
			Map<String, Object> lower = new TreeMap<>();
			row.forEach((column, value) -> lower.put(column.toLowerCase(), value));
			rows.put((String) lower.get("version"), lower);
		}
		return rows;
	}

	/** The history row of a version, if the table and the row exist. */
	Optional<Map<String, Object>> historyRow(String version) {
		return Optional.ofNullable(history().get(version));
	}

	/** How many times each migration body ran and committed. */
	Map<String, Integer> bodyRuns() {
		return tables().contains("body_runs") ? BodyRuns.counts(this.jdbc) : Map.of();
	}

	static String status(Map<String, Object> row) {
		return (String) row.get("status");
	}

	static long number(Map<String, Object> row, String column) {
		Object value = row.get(column);
		return (value != null) ? ((Number) value).longValue() : -1;
	}

	/** Epoch millis at the end of a line printed by {@link ChildApp}. */
	static long epochMillis(String line, String prefix) {
		return Long.parseLong(line.substring(line.indexOf(prefix) + prefix.length()).strip());
	}

	/**
	 * An instance that exited.
	 *
	 * @param child the instance
	 * @param code its exit code
	 */
	record Exited(ChildJvm child, int code) {

		String stdout() {
			return this.child.stdout();
		}

		String describe() {
			return this.child + " exited with " + this.code + "\n" + this.child.tail();
		}

	}

}
