package dev.datamigrate.benchmarks.parallel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.datamigrate.benchmarks.parallel.ParallelApplication.JvmFigures;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * JVMs of the benchmark's application, started at the same moment, each with the starter's startup run
 * ({@code data-migrate.on-startup=run}): one takes the queue lock and runs the walk, the others join it.
 * {@link #main} is the JVM's side: it starts the application, waits until the history says the migration
 * SUCCEEDED (or FAILED), prints what its workers did and exits.
 */
public final class ParallelJvm {

	/** What a JVM may take beyond its walk's bound to start and stop. */
	private static final long START_AND_STOP_SECONDS = 120;

	private ParallelJvm() {
	}

	/**
	 * Start JVMs of the application at once and wait for all of them.
	 * @param count how many JVMs
	 * @param arguments the application's arguments
	 * @param logs where each JVM's output goes ({@code <name>-<n>.log})
	 * @param name the way's name in the files
	 * @param timeoutSeconds how long each JVM waits for the migration to end once its startup run is over
	 * @return what each JVM's workers did, in the order they were started
	 * @throws IOException if a JVM cannot be started
	 * @throws InterruptedException if interrupted while waiting
	 */
	public static List<JvmFigures> run(int count, List<String> arguments, Path logs, String name,
			long timeoutSeconds) throws IOException, InterruptedException {
		Files.createDirectories(logs);
		List<Process> processes = new ArrayList<>();
		List<Path> outputs = new ArrayList<>();
		try {
			for (int i = 1; i <= count; i++) {
				List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
					.toString(), "-Xms256m", "-Xmx512m", "-classpath", System.getProperty("java.class.path"),
						ParallelJvm.class.getName()));
				command.addAll(arguments);
				command.add("--benchmark.parallel.timeout-seconds=" + timeoutSeconds);
				command.add("--logging.file.name=" + logs.resolve(name + "-" + i + ".log"));
				Path output = logs.resolve(name + "-" + i + ".out");
				outputs.add(output);
				processes.add(new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.start());
			}
			List<JvmFigures> figures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				Process process = processes.get(i);
				if (!process.waitFor(timeoutSeconds + START_AND_STOP_SECONDS, TimeUnit.SECONDS)) {
					throw new IllegalStateException("JVM " + (i + 1) + " of " + name + " did not end within "
							+ (timeoutSeconds + START_AND_STOP_SECONDS) + " s; see " + outputs.get(i));
				}
				String output = Files.readString(outputs.get(i));
				JvmFigures jvm = output.lines().map(JvmFigures::parse).filter((line) -> line != null).findFirst()
					.orElse(null);
				if (process.exitValue() != 0 || jvm == null) {
					throw new IllegalStateException("JVM " + (i + 1) + " of " + name + " failed (exit "
							+ process.exitValue() + "):\n" + output);
				}
				figures.add(jvm);
			}
			return figures;
		}
		finally {
			processes.forEach(Process::destroyForcibly);
		}
	}

	/**
	 * The JVM's side: the application's arguments.
	 * @param args the arguments
	 */
	public static void main(String[] args) throws InterruptedException {
		List<String> all = new ArrayList<>(List.of(args));
		all.add("--logging.threshold.console=WARN");
		all.add("--logging.level.root=WARN");
		all.add("--logging.level.dev.datamigrate=INFO");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ParallelApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(all.toArray(String[]::new));
		int exit = 0;
		try {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			String table = context.getEnvironment().getProperty("data-migrate.table-name", "data_migrations");
			long timeout = context.getEnvironment().getRequiredProperty("benchmark.parallel.timeout-seconds", Long.class);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
			String status = status(jdbc, table);
			// a joining instance's startup run can end before the walk does
			while (!"SUCCEEDED".equals(status) && !"FAILED".equals(status) && System.nanoTime() < deadline) {
				Thread.sleep(100);
				status = status(jdbc, table);
			}
			if (!"SUCCEEDED".equals(status)) {
				System.out.println("The migration did not succeed within " + timeout + " s: " + status);
				exit = 1;
			}
			// a worker is told of its last batch after the commit that may have let the walk finish
			Thread.sleep(500);
			System.out.println(context.getBean(ParallelApplication.Walk.class).figures().line());
		}
		finally {
			context.close();
		}
		System.exit(exit);
	}

	private static String status(JdbcTemplate jdbc, String table) {
		List<String> status = jdbc.queryForList("select status from " + table + " where version = '1'", String.class);
		return status.isEmpty() ? null : status.get(0);
	}

}
