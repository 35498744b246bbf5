/**
 * Micrometer observations of data migration runs, and the convention that names them.
 */
@NullMarked
package dev.datamigrate.observation;

import org.jspecify.annotations.NullMarked;
