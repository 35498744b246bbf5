/**
 * Internal: the history table. Not an API; it changes without notice.
 */
package dev.datamigrate.history;
