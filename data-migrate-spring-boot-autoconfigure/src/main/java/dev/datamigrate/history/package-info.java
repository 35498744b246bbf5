/**
 * Internal: the history table. Not an API; it changes without notice.
 */
@NullMarked
package dev.datamigrate.history;

import org.jspecify.annotations.NullMarked;
