package dev.datamigrate.testsupport;

import dev.datamigrate.autoconfigure.DataMigrateAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Application contexts as a plain JDBC application with the starter would have them.
 */
public final class MigrationContexts {

	private MigrationContexts() {
	}

	/**
	 * A context runner with the data source, transaction, JDBC and data migration auto-configurations.
	 * @return the runner
	 */
	public static ApplicationContextRunner jdbc() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
				DataMigrateAutoConfiguration.class));
	}

	/**
	 * The same, on a test database.
	 * @param database the database
	 * @return the runner
	 */
	public static ApplicationContextRunner jdbc(TestDatabase database) {
		return jdbc().withPropertyValues(database.properties().toArray(String[]::new));
	}

}
