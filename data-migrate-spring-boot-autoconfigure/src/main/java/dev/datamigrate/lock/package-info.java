/**
 * Internal: the cluster-wide lock, one class per kind of database lock. Not an API; it changes without notice.
 */
@NullMarked
package dev.datamigrate.lock;

import org.jspecify.annotations.NullMarked;
