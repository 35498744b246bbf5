package dev.datamigrate.runner;

/**
 * A {@code @DataMigration} bean as found in the application context.
 *
 * @param version the parsed version
 * @param description what it does
 * @param className the bean's class
 * @param beanName the bean's name
 * @param transactional whether it runs in one transaction when it uses no batches
 */
public record MigrationDefinition(MigrationVersion version, String description, String className, String beanName,
		boolean transactional) {

}
