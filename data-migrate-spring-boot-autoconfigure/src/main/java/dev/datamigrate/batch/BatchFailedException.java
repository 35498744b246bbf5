package dev.datamigrate.batch;

/**
 * A batch failed for good: its error was not transient, or its attempts are used up. The batch rolled
 * back; the message names it, its keys and its attempts.
 */
public class BatchFailedException extends RuntimeException {

	BatchFailedException(String message, Throwable cause) {
		super(message, cause);
	}

}
