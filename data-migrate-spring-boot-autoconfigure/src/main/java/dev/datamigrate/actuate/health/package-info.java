/**
 * The {@code dataMigrations} health contributor.
 */
@NullMarked
package dev.datamigrate.actuate.health;

import org.jspecify.annotations.NullMarked;
