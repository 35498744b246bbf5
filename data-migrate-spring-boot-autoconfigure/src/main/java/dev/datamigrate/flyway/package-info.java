/**
 * Flyway integration: the finish gate for Java migrations and callbacks.
 */
@NullMarked
package dev.datamigrate.flyway;

import org.jspecify.annotations.NullMarked;
