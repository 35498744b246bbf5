/**
 * Internal: the batch engine behind {@link dev.datamigrate.Batches}. Not an API; it changes without notice.
 */
package dev.datamigrate.batch;
