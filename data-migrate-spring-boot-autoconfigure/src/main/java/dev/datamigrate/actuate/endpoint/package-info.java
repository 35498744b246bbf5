/**
 * The {@code datamigrations} Actuator endpoint.
 */
@NullMarked
package dev.datamigrate.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
