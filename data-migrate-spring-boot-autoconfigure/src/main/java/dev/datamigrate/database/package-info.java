/**
 * Internal: what differs by database, one class per database. Not an API; it changes without notice.
 */
package dev.datamigrate.database;
