package dev.datamigrate.autoconfigure;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data migrations run after the schema changes of Liquibase or Flyway, on the tables they create; the
 * deploy report lists Flyway's pending migrations without applying them.
 */
@ExtendWith(OutputCaptureExtension.class)
class SchemaToolOrderingTests {

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "H2" })
	void runsAfterLiquibase(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind)) {
			assertRanOnTheNewTable(MigrationContexts.jdbc(database)
				.withConfiguration(AutoConfigurations.of(LiquibaseAutoConfiguration.class))
				.withPropertyValues("spring.liquibase.change-log=classpath:db/changelog/things.yaml"));
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "H2" })
	void runsAfterLiquibaseWhenBeansAreLazy(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind)) {
			assertRanOnTheNewTable(MigrationContexts.jdbc(database)
				.withConfiguration(AutoConfigurations.of(LiquibaseAutoConfiguration.class))
				.withInitializer((context) -> context.addBeanFactoryPostProcessor(
						new org.springframework.boot.LazyInitializationBeanFactoryPostProcessor()))
				.withPropertyValues("spring.liquibase.change-log=classpath:db/changelog/things.yaml"));
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "H2" })
	void runsAfterFlyway(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind)) {
			assertRanOnTheNewTable(MigrationContexts.jdbc(database)
				.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
				.withPropertyValues("spring.flyway.locations=classpath:db/flyway"));
		}
	}

	@Test
	void planListsFlywaysPendingMigrationsAndMigratesNothing(CapturedOutput output) {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2)) {
			// a context runner publishes no ApplicationReadyEvent, so the plan prints without exiting the JVM
			MigrationContexts.jdbc(database)
				.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
				.withUserConfiguration(RenameWidgets.class)
				.withPropertyValues("spring.flyway.locations=classpath:db/flyway", "data-migrate.on-startup=plan")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(DataMigrations.class).pendingSchemaChanges())
						.extracting(DataMigrations.SchemaChange::id)
						.containsExactly("1");
					assertThat(context.getBean(JdbcTemplate.class)
						.queryForObject("select count(*) from information_schema.tables where lower(table_name) = 'things'",
								Integer.class))
						.as("Flyway did not migrate")
						.isZero();
				});
			assertThat(output).contains("Schema changes, applied first: 1 pending\n  1  things\n")
				.contains("Data migration plan: 1 pending");
		}
	}

	private static void assertRanOnTheNewTable(ApplicationContextRunner runner) {
		runner.withUserConfiguration(RenameWidgets.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DataMigrations.class).status().find("1").orElseThrow().status())
				.isEqualTo(MigrationStatus.SUCCEEDED);
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("select name from things where id = 1",
					String.class)).isEqualTo("gadget");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@Import(RenameWidgets.Migration.class)
	static class RenameWidgets {

		@DataMigration(version = "1")
		static class Migration implements DataMigrationTask {

			private final JdbcTemplate jdbc;

			Migration(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			@Override
			public void migrate(DataMigrationContext context) {
				this.jdbc.update("update things set name = 'gadget' where name = 'widget'");
			}

		}

	}

}
