package dev.datamigrate.history;

import java.time.Duration;
import java.util.List;

/**
 * Batches of a walk that the database runs itself, one after the other, for a while: each reads its keys'
 * bounds, records itself in the history, runs the work statement on its first and last key and commits.
 *
 * @param keyRead the query for the minimum, maximum and number of the next batch's keys, with one
 * {@code ?}, the key they come after
 * @param keyType the SQL type of the keys, {@code bigint} or {@code integer}
 * @param work the statement that does a batch's work, one statement with a {@code ?} for each key it binds,
 * and no values
 * @param workKeys what each of the statement's {@code ?} stands for, in order: {@code first} or
 * {@code last}
 * @param after the key the next batch comes after, a number
 * @param number the next batch's number
 * @param budget how long the database starts new batches for
 */
public record BatchLoop(String keyRead, String keyType, BoundStatement work, List<String> workKeys, Number after,
		long number, Duration budget) {

	/**
	 * The same batches, from another key on.
	 * @param after the key the next batch comes after
	 * @param number the next batch's number
	 * @return the loop
	 */
	public BatchLoop from(Number after, long number) {
		return new BatchLoop(this.keyRead, this.keyType, this.work, this.workKeys, after, number, this.budget);
	}

}
