/**
 * Internal: the batch engine behind {@link dev.datamigrate.Batches}. Not an API; it changes without notice.
 */
@NullMarked
package dev.datamigrate.batch;

import org.jspecify.annotations.NullMarked;
