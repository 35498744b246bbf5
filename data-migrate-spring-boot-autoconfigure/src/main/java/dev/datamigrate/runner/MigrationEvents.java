package dev.datamigrate.runner;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The log events of SPEC.md: an event name and SLF4J key-value pairs, which Spring Boot's structured
 * logging prints as JSON fields. The message repeats the pairs so plain-text logs show them too.
 */
public final class MigrationEvents {

	private static final Logger logger = LoggerFactory.getLogger("dev.datamigrate");

	private MigrationEvents() {
	}

	/**
	 * Log an event at INFO.
	 * @param event the event name, such as {@code data_migration_start}
	 * @param keyValues alternating keys and values; pairs with a {@code null} value are left out
	 */
	public static void info(String event, @Nullable Object... keyValues) {
		log(logger.atInfo(), event, keyValues);
	}

	/**
	 * Log an event at DEBUG.
	 * @param event the event name
	 * @param keyValues alternating keys and values; pairs with a {@code null} value are left out
	 */
	public static void debug(String event, @Nullable Object... keyValues) {
		if (logger.isDebugEnabled()) {
			log(logger.atDebug(), event, keyValues);
		}
	}

	/**
	 * Log an event at ERROR.
	 * @param event the event name
	 * @param keyValues alternating keys and values; pairs with a {@code null} value are left out
	 */
	public static void error(String event, @Nullable Object... keyValues) {
		log(logger.atError(), event, keyValues);
	}

	private static void log(LoggingEventBuilder builder, String event, @Nullable Object... keyValues) {
		StringBuilder message = new StringBuilder(event);
		for (int i = 0; i + 1 < keyValues.length; i += 2) {
			Object value = keyValues[i + 1];
			if (value != null) {
				builder = builder.addKeyValue((String) keyValues[i], value);
				message.append(' ').append(keyValues[i]).append('=').append(quoted(value));
			}
		}
		builder.setMessage(message.toString()).log();
	}

	private static Object quoted(Object value) {
		return (value instanceof CharSequence text && text.chars().anyMatch(Character::isWhitespace))
				? "\"" + text + "\"" : value;
	}

}
