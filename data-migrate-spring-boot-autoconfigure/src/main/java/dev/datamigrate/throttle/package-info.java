/**
 * Internal: the built-in database checks that hold a batch walk back, one class per check. Not an API; it
 * changes without notice.
 */
@NullMarked
package dev.datamigrate.throttle;

import org.jspecify.annotations.NullMarked;
