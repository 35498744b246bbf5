/**
 * What applications write against: {@link dev.datamigrate.DataMigration @DataMigration} tasks, their
 * {@link dev.datamigrate.DataMigrationContext context} and {@link dev.datamigrate.Batches batches}, the
 * {@link dev.datamigrate.DataMigrations operations}, throttles, listeners and events.
 */
@NullMarked
package dev.datamigrate;

import org.jspecify.annotations.NullMarked;
