package dev.datamigrate.history;

import java.util.List;

/**
 * What a batch that committed in the round trip that sent it returned.
 *
 * @param changed the rows its statement changed
 * @param read the rows of the query sent after it, each a list of its columns' values
 */
public record BatchCommit(long changed, List<List<Object>> read) {
}
