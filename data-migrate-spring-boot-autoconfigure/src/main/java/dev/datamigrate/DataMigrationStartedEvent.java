package dev.datamigrate;

/**
 * Published through the application's {@code ApplicationEventPublisher} when this instance starts (or
 * resumes) running a data migration; receive it with an {@code @EventListener} method.
 *
 * @param version the migration's version
 * @param description what it does
 */
public record DataMigrationStartedEvent(String version, String description) {

}
