package dev.datamigrate;

import org.jspecify.annotations.Nullable;

/**
 * A problem with data migrations that stops the application: bad configuration found at startup, or
 * a migration that failed in {@code run} mode. Its {@link #getAction() action} says the way out; Spring
 * Boot's failure analysis prints both.
 */
public class DataMigrationException extends RuntimeException {

	private final String action;

	/**
	 * Create an exception.
	 * @param message what is wrong, naming the culprit
	 * @param action what to do about it
	 * @param cause the cause, if any
	 */
	public DataMigrationException(String message, String action, @Nullable Throwable cause) {
		super(message, cause);
		this.action = action;
	}

	/**
	 * What to do about the problem.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
