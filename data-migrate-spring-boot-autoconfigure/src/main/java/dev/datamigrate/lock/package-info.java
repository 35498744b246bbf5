/**
 * Internal: the cluster-wide lock, one class per kind of database lock. Not an API; it changes without notice.
 */
package dev.datamigrate.lock;
