package dev.datamigrate.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A class's {@code main} in a JVM of its own, with this test JVM's class path, its output (stdout and
 * stderr together) written to a file.
 */
public final class JavaProcess {

	private JavaProcess() {
	}

	/**
	 * Start a JVM.
	 * @param log where its output goes
	 * @param main the class whose {@code main} it runs
	 * @param arguments the arguments of {@code main}
	 * @return the process; destroy it when done
	 * @throws IOException if it could not be started
	 */
	public static Process start(Path log, Class<?> main, List<String> arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath(), main.getName()));
		command.addAll(arguments);
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	/**
	 * The class path of this test JVM. Surefire starts tests through a manifest-only jar whose
	 * {@code Class-Path} lists everything; it names the full class path in
	 * {@code surefire.test.class.path}, which works even when that jar is gone.
	 * @return the class path
	 */
	public static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

}
