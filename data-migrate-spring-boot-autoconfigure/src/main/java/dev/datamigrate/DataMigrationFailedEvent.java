package dev.datamigrate;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Published through the application's {@code ApplicationEventPublisher} when a data migration that this
 * instance ran has FAILED, which halts the queue until it is retried or skipped; receive it with an
 * {@code @EventListener} method.
 *
 * @param version the migration's version
 * @param description what it does
 * @param duration how long this run took
 * @param recordsProcessed the records processed before it failed
 * @param error the exception's message chain, as the history records it
 */
public record DataMigrationFailedEvent(String version, String description, Duration duration,
		long recordsProcessed, @Nullable String error) {

}
