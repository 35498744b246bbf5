/**
 * Internal: discovery, ordering and the run of pending migrations. Not an API; it changes without notice.
 */
@NullMarked
package dev.datamigrate.runner;

import org.jspecify.annotations.NullMarked;
