package dev.datamigrate.console;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The page, script and style sheet that the console reads from its jar, for a native image.
 */
class ConsoleRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		hints.resources().registerPattern(ConsolePage.LOCATION + "index.html");
		hints.resources().registerPattern(ConsolePage.LOCATION + "assets/*");
	}

}
