package dev.datamigrate.autoconfigure;

import java.util.Set;

import dev.datamigrate.DataMigrations;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitializationDetector;

/**
 * A {@link DependsOnDatabaseInitializationDetector} that makes the data migration beans wait for the
 * schema tools (Liquibase, Flyway, SQL scripts), even when beans are initialized lazily.
 */
class DataMigrationsDependsOnDatabaseInitializationDetector
		extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

	@Override
	protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
		return Set.of(DataMigrations.class, DataMigrationsStartup.class);
	}

}
