/**
 * The operations console: a page that shows the data migrations and acts on them through the
 * {@code datamigrations} Actuator endpoint.
 */
@NullMarked
package dev.datamigrate.console;

import org.jspecify.annotations.NullMarked;
