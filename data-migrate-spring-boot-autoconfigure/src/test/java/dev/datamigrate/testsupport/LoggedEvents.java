package dev.datamigrate.testsupport;

import java.util.List;

import org.springframework.boot.test.system.CapturedOutput;

/**
 * The starter's log events in a test's captured output.
 */
public final class LoggedEvents {

	private LoggedEvents() {
	}

	/**
	 * The lines of the {@code data_migration_start} and {@code data_migration_batch} events, in order.
	 * @param output the captured output
	 * @return the lines
	 */
	public static List<String> startAndBatches(CapturedOutput output) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains("data_migration_start") || line.contains("data_migration_batch "))
			.toList();
	}

}
