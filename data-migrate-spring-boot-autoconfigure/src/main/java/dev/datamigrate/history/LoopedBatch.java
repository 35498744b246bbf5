package dev.datamigrate.history;

import java.time.Instant;

/**
 * A batch that a {@link BatchLoop} committed.
 *
 * @param number its number
 * @param size its keys
 * @param checkpoint its last key, the checkpoint after it
 * @param changed the rows its statement changed
 * @param committedAt when it committed, by the database's clock
 */
public record LoopedBatch(long number, int size, String checkpoint, long changed, Instant committedAt) {
}
