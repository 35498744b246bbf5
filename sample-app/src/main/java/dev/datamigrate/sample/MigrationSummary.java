package dev.datamigrate.sample;

import dev.datamigrate.DataMigrations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Logs the state of every data migration once the application has started, read through the
 * {@link DataMigrations} bean as an operator's tool or a test would, and where to watch them.
 */
@Component
class MigrationSummary implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(MigrationSummary.class);

	private final DataMigrations migrations;

	private final Environment environment;

	MigrationSummary(DataMigrations migrations, Environment environment) {
		this.migrations = migrations;
		this.environment = environment;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.migrations.status()
			.migrations()
			.forEach((migration) -> logger.info("Data migration " + migration.version() + " ("
					+ migration.description() + "): " + migration.status() + ", " + migration.recordsProcessed()
					+ " records in " + migration.batchesDone() + " batches"));
		String port = this.environment.getProperty("local.server.port");
		if (port != null) {
			logger.info("Watch them: curl -u viewer:viewer http://localhost:" + port + "/actuator/datamigrations");
		}
	}

}
