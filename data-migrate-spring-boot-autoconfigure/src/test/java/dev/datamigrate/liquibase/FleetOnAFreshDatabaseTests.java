package dev.datamigrate.liquibase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.testsupport.JavaProcess;
import dev.datamigrate.testsupport.TestDatabase;
import dev.datamigrate.testsupport.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Four instances started at the same moment on a fresh database, each with Liquibase and the data
 * migration, as a fleet's first deploy: every one starts and exits 0, the changelog is applied once and
 * the data migration ran once. {@code benchmarks/fleet-start.sh} does the same with ten instances of the
 * sample, many times.
 */
class FleetOnAFreshDatabaseTests {

	private static final int INSTANCES = 4;

	@ParameterizedTest
	@EnumSource(value = Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void everyInstanceStartsAndTheChangelogAndTheMigrationRunOnce(Kind kind) throws Exception {
		try (TestDatabase database = TestDatabase.create(kind); HikariDataSource dataSource = database.dataSource()) {
			List<Process> instances = new ArrayList<>();
			List<Path> logs = new ArrayList<>();
			try {
				for (int i = 0; i < INSTANCES; i++) {
					Path log = Files.createTempFile("fleet-" + kind + "-" + i, ".out");
					logs.add(log);
					instances.add(start(database, log));
				}
				for (int i = 0; i < INSTANCES; i++) {
					assertThat(instances.get(i).waitFor(120, TimeUnit.SECONDS)).as("instance %d ends; see %s", i, logs.get(i))
						.isTrue();
					assertThat(instances.get(i).exitValue()).as("exit code of instance %d; see %s", i, logs.get(i)).isZero();
				}
			}
			finally {
				instances.forEach(Process::destroyForcibly);
			}
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			// Liquibase names its table in capitals, and MariaDB's table names are case sensitive
			String changelog = (kind == Kind.MARIADB) ? "DATABASECHANGELOG" : "databasechangelog";
			assertThat(jdbc.queryForList("select id from " + changelog + " order by orderexecuted", String.class))
				.containsExactly("products", "products-category");
			assertThat(jdbc.queryForList("select status from data_migrations", String.class)).containsExactly("SUCCEEDED");
			assertThat(jdbc.queryForObject("select attempts from data_migrations", Integer.class)).isOne();
			assertThat(jdbc.queryForObject("select count(*) from products where category = 'books'", Integer.class))
				.isEqualTo(20);
		}
	}

	private static Process start(TestDatabase database, Path log) throws Exception {
		List<String> arguments = new ArrayList<>(List.of("--test.liquibase=sync", "--test.changelog=db/changelog/fleet.yaml",
				"--data-migrate.on-startup=run-and-exit", "--spring.main.web-application-type=none",
				"--spring.main.banner-mode=off"));
		arguments.addAll(database.arguments());
		return JavaProcess.start(log, AsyncLiquibaseApplication.class, arguments);
	}

}
