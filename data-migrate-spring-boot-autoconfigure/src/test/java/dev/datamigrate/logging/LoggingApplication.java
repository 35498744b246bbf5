package dev.datamigrate.logging;

import dev.datamigrate.autoconfigure.DataMigrateAutoConfiguration;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.TestDatabase;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An application whose log is read by {@link LogEventsTests}: it creates 2,500 items in a fresh H2
 * database, then starts with the arguments it is given and backfills them.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
		JdbcTemplateAutoConfiguration.class, DataMigrateAutoConfiguration.class })
@Import(Items.class)
public class LoggingApplication {

	public static void main(String[] args) throws Exception {
		TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2);
		try (var dataSource = database.dataSource()) {
			Items.create(new JdbcTemplate(dataSource), TestDatabase.Kind.H2, 2_500);
			SpringApplication application = new SpringApplication(LoggingApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			application.setDefaultProperties(java.util.Map.of("spring.datasource.url", database.url(),
					"spring.datasource.username", database.username(), "data-migrate.batch.size", "1000"));
			application.run(args).close();
		}
	}

}
