/**
 * Internal: what differs by database, one class per database. Not an API; it changes without notice.
 */
@NullMarked
package dev.datamigrate.database;

import org.jspecify.annotations.NullMarked;
