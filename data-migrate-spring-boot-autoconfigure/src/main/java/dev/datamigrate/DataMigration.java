package dev.datamigrate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.stereotype.Component;

/**
 * Marks a {@link DataMigrationTask} bean as a versioned data migration. Such beans are found in the
 * application context and run once, in version order, across every instance of the application.
 *
 * <pre class="code">
 * &#64;DataMigration(version = "2026.03.05.1", description = "Backfill purpose on notify_log_entries")
 * class BackfillNotifyLogPurpose implements DataMigrationTask { ... }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface DataMigration {

	/**
	 * Version of the migration: digit segments separated by {@code .} or {@code _}, such as
	 * {@code 2026.03.05.1} or {@code 20260305091000}, compared numerically segment by segment.
	 * @return the version
	 */
	String version();

	/**
	 * What the migration does, as shown in the history and the endpoint. Derived from the class name
	 * when empty.
	 * @return the description
	 */
	String description() default "";

	/**
	 * Whether a migration that does not use batches runs in one transaction together with its history
	 * record. Batches always run in a transaction of their own each.
	 * @return whether the migration is transactional
	 */
	boolean transactional() default true;

}
