package dev.datamigrate;

import java.time.Duration;

/**
 * Published through the application's {@code ApplicationEventPublisher} when a data migration that this
 * instance ran has SUCCEEDED; receive it with an {@code @EventListener} method.
 *
 * @param version the migration's version
 * @param description what it does
 * @param duration how long this run took
 * @param recordsProcessed the records processed over all its runs
 */
public record DataMigrationFinishedEvent(String version, String description, Duration duration,
		long recordsProcessed) {

}
