package dev.datamigrate.history;

import java.util.List;

/**
 * What a batch that committed in the round trip that sent it returned.
 *
 * @param changed the rows its statement changed
 * @param read the first column of each row of the query sent after the statement
 */
public record BatchCommit(long changed, List<Object> read) {
}
