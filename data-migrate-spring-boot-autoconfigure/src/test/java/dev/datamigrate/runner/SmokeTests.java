package dev.datamigrate.runner;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.autoconfigure.DataMigrateAutoConfiguration;
import dev.datamigrate.fixtures.BodyRuns;
import dev.datamigrate.fixtures.FiveMigrations;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTests {

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void runsFiveMigrationsInVersionOrder(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind)) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
						DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
						DataMigrateAutoConfiguration.class))
				.withUserConfiguration(FiveMigrations.class)
				.withPropertyValues(database.properties().toArray(String[]::new))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					var status = context.getBean(DataMigrations.class).status();
					assertThat(status.migrations()).extracting(MigrationInfo::version)
						.containsExactly("1.2", "1_3_1", "1.9", "1.10", "2");
					assertThat(status.migrations()).extracting(MigrationInfo::status)
						.allMatch((s) -> s == dev.datamigrate.MigrationStatus.SUCCEEDED);
					assertThat(BodyRuns.counts(context.getBean(JdbcTemplate.class))).hasSize(5)
						.allSatisfy((version, count) -> assertThat(count).isOne());
				});
		}
	}

}
