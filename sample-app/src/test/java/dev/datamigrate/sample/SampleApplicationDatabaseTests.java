package dev.datamigrate.sample;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample on real servers, each time in a fresh schema or database: the changelog and both
 * migrations must work there as they do on H2. The servers come from {@code DatabaseServers}: the
 * environment, Testcontainers, or localhost; the test fails if none answers.
 */
class SampleApplicationDatabaseTests {

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void migratesOnceOnAFreshDatabase(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind)) {
			try (ConfigurableApplicationContext context = start(database)) {
				MigratedData.assertMigrated(context.getBean(DataMigrations.class), context.getBean(JdbcTemplate.class));
			}
			// the next instance, or the next deploy, finds the migrations done and leaves them alone
			try (ConfigurableApplicationContext context = start(database)) {
				assertThat(context.getBean(DataMigrations.class).status().migrations()).extracting(MigrationInfo::attempts)
					.containsOnly(1);
			}
		}
	}

	private static ConfigurableApplicationContext start(TestDatabase database) {
		return SpringApplication.run(SampleApplication.class, database.arguments().toArray(String[]::new));
	}

}
