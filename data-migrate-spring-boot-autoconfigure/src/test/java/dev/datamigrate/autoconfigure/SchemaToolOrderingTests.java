package dev.datamigrate.autoconfigure;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data migrations run after the schema changes of Liquibase or Flyway, on the tables they create.
 */
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
