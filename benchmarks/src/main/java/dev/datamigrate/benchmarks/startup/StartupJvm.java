package dev.datamigrate.benchmarks.startup;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.datamigrate.benchmarks.startup.StartupApplication.Start;

/**
 * Starts of the benchmark's application in JVMs of their own, on this JVM's class path or on one where
 * another build of the starter takes the place of this one (to compare two builds under the same load).
 * {@link #main} is the JVM's side.
 */
public final class StartupJvm {

	/** Starts a warm JVM makes before the measured ones, so that its code is loaded and compiled. */
	private static final int UNMEASURED = 5;

	private static final String AUTOCONFIGURE = "data-migrate-spring-boot-autoconfigure";

	private final String classPath;

	private StartupJvm(String classPath) {
		this.classPath = classPath;
	}

	/**
	 * JVMs with this JVM's class path.
	 * @return the JVMs
	 */
	public static StartupJvm current() {
		return new StartupJvm(System.getProperty("java.class.path"));
	}

	/**
	 * JVMs with this JVM's class path, but another build of the starter's auto-configuration module.
	 * @param autoconfigure its jar or classes directory
	 * @return the JVMs
	 */
	public static StartupJvm withStarter(Path autoconfigure) {
		List<String> entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> !entry.contains(AUTOCONFIGURE))
			.collect(Collectors.toCollection(ArrayList::new));
		entries.add(0, autoconfigure.toAbsolutePath().toString());
		return new StartupJvm(String.join(File.pathSeparator, entries));
	}

	/**
	 * One start in a fresh JVM.
	 * @param migrations the directory of the generated migrations
	 * @param arguments the application's arguments
	 * @param starter whether the starter is on
	 * @return the start
	 * @throws IOException if the JVM cannot be started
	 * @throws InterruptedException if interrupted while waiting for it
	 */
	public Start once(Path migrations, List<String> arguments, boolean starter) throws IOException, InterruptedException {
		return run(migrations, Boolean.toString(starter), arguments).get(0);
	}

	/**
	 * Pairs of starts in one JVM, after {@value #UNMEASURED} starts that are not measured; the order within a
	 * pair alternates.
	 * @param migrations the directory of the generated migrations
	 * @param arguments the application's arguments
	 * @param pairs how many pairs
	 * @return each pair: the start with the starter, then the one without
	 * @throws IOException if the JVM cannot be started
	 * @throws InterruptedException if interrupted while waiting for it
	 */
	public List<Start[]> warm(Path migrations, List<String> arguments, int pairs)
			throws IOException, InterruptedException {
		List<Start> starts = run(migrations, Integer.toString(pairs), arguments);
		List<Start[]> result = new ArrayList<>();
		for (int i = 0; i + 1 < starts.size(); i += 2) {
			result.add(new Start[] { starts.get(i), starts.get(i + 1) });
		}
		return result;
	}

	private List<Start> run(Path migrations, String what, List<String> arguments)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-classpath", this.classPath, StartupJvm.class.getName(), migrations.toString(), what));
		command.addAll(arguments);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		List<Start> starts = new ArrayList<>();
		StringBuilder output = new StringBuilder();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				Start start = Start.parse(line);
				if (start != null) {
					starts.add(start);
				}
				output.append(line).append('\n');
			}
		}
		int exit = process.waitFor();
		if (exit != 0 || starts.isEmpty()) {
			throw new IllegalStateException("A JVM of the startup benchmark failed (exit " + exit + "):\n" + output);
		}
		return starts;
	}

	/**
	 * The JVM's side: {@code <migrations directory> <true|false|pairs> <application arguments...>}. Prints
	 * one line per measured start; for pairs, the start with the starter first.
	 * @param args the arguments
	 */
	public static void main(String[] args) {
		ClassLoader migrations = GeneratedMigrations.loader(Path.of(args[0]));
		List<String> arguments = List.of(args).subList(2, args.length);
		if (args[1].equals("true") || args[1].equals("false")) {
			System.out.println(start(migrations, arguments, Boolean.parseBoolean(args[1])).line());
			return;
		}
		for (int i = 0; i < UNMEASURED; i++) {
			start(migrations, arguments, i % 2 == 0);
		}
		for (int i = 0; i < Integer.parseInt(args[1]); i++) {
			boolean starterFirst = i % 2 == 0;
			Start first = start(migrations, arguments, starterFirst);
			Start second = start(migrations, arguments, !starterFirst);
			System.out.println((starterFirst ? first : second).line());
			System.out.println((starterFirst ? second : first).line());
		}
	}

	private static Start start(ClassLoader migrations, List<String> arguments, boolean starter) {
		List<String> all = new ArrayList<>(arguments);
		all.add("--data-migrate.enabled=" + starter);
		return StartupApplication.start(migrations, all);
	}

}
