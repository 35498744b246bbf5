package dev.datamigrate.actuate;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.fixtures.Items;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A web application with the starter and Actuator: a batched backfill (version 1) and a migration
 * that fails while {@link #BROKEN} is set (version 2).
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
		"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
		"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
@Import({ Items.class, OperationsApplication.Fragile.class })
class OperationsApplication {

	static final AtomicBoolean BROKEN = new AtomicBoolean();

	@DataMigration(version = "2", description = "Move flags")
	static class Fragile implements DataMigrationTask {

		@Override
		public void migrate(DataMigrationContext context) {
			if (BROKEN.get()) {
				throw new IllegalStateException("flag store unreachable");
			}
		}

	}

}
