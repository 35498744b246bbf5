/**
 * Micrometer meters of data migrations.
 */
@NullMarked
package dev.datamigrate.actuate.metrics;

import org.jspecify.annotations.NullMarked;
