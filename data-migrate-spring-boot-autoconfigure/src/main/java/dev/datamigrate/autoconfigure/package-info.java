/**
 * Auto-configuration of data migrations, their properties, and the startup modes.
 */
@NullMarked
package dev.datamigrate.autoconfigure;

import org.jspecify.annotations.NullMarked;
