package dev.datamigrate.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.datamigrate.benchmarks.startup.GeneratedMigrations;
import dev.datamigrate.benchmarks.startup.StartupApplication;
import dev.datamigrate.benchmarks.startup.StartupApplication.Start;

import org.springframework.util.FileSystemUtils;

/**
 * What the starter adds to an application's startup when it has nothing to do: 200 data migrations all
 * SUCCEEDED in a PostgreSQL database of their own, a Liquibase changelog all applied, {@code on-startup=run}.
 * Starts the application again and again, with the starter and without ({@code data-migrate.enabled=false}),
 * in pairs whose order alternates: warm starts in this JVM, then one fresh JVM per start. Writes its section
 * of BENCHMARKS.md ({@link StartupReport}). Run on demand, see {@link #COMMAND}.
 */
public final class StartupBenchmark {

	static final String COMMAND = "./mvnw -q -pl benchmarks -am -Dmaven.test.skip=true -Pstartup-benchmark package";

	private static final String CHILD = "child";

	private StartupBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals(CHILD)) {
			ClassLoader migrations = GeneratedMigrations.loader(Path.of(args[1]));
			System.out.println(StartupApplication.start(migrations, List.of(args).subList(2, args.length)).line());
			return;
		}
		Settings settings = Settings.fromSystem();
		int count = Integer.parseInt(get("migrations", "200"));
		int warm = Integer.parseInt(get("starts", "20"));
		int fresh = Integer.parseInt(get("jvms", "8"));
		String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		String database = "bench_startup_" + suffix;
		Machine machine = Machine.describe(settings);
		Path work = Files.createTempDirectory("startup-benchmark-");
		Path classes = GeneratedMigrations.compile(count, work);
		ClassLoader migrations = GeneratedMigrations.loader(classes);
		String url = databaseUrl(settings.url(), database);
		execute(settings.url(), settings, "create database " + database);
		try {
			System.out.printf(Locale.ROOT, "Startup benchmark on %s: %d migrations, %d warm pairs, %d fresh JVM pairs%n",
					url, count, warm, fresh);
			StartupApplication.start(migrations, arguments(url, settings, true, work));
			check(url, settings, count);
			for (int i = 0; i < 3; i++) {
				StartupApplication.start(migrations, arguments(url, settings, i % 2 == 0, work));
			}
			List<Start[]> warmPairs = new ArrayList<>();
			for (int i = 0; i < warm; i++) {
				warmPairs.add(pair(i, (starter) -> StartupApplication.start(migrations,
						arguments(url, settings, starter, work))));
				print("warm", i, warmPairs.get(i));
			}
			List<Start[]> freshPairs = new ArrayList<>();
			for (int i = 0; i < fresh; i++) {
				freshPairs.add(pair(i, (starter) -> child(classes, arguments(url, settings, starter, work))));
				print("fresh JVM", i, freshPairs.get(i));
			}
			check(url, settings, count);
			StartupReport report = new StartupReport(settings, machine.withLoadAtEnd(), count, label(), warmPairs,
					freshPairs);
			System.out.println(report.summary());
			report.write(settings.output().toAbsolutePath());
			System.out.println("Wrote " + settings.output().toAbsolutePath().normalize());
		}
		finally {
			execute(settings.url(), settings, "drop database if exists " + database + " with (force)");
			FileSystemUtils.deleteRecursively(work);
		}
	}

	/**
	 * One start with the starter and one without, in an order that alternates from pair to pair.
	 * @return the start with the starter, then the one without
	 */
	private static Start[] pair(int i, Starter starter) throws Exception {
		if (i % 2 == 0) {
			Start on = starter.start(true);
			return new Start[] { on, starter.start(false) };
		}
		Start off = starter.start(false);
		return new Start[] { starter.start(true), off };
	}

	@FunctionalInterface
	private interface Starter {

		Start start(boolean starter) throws Exception;

	}

	private static void print(String kind, int i, Start[] pair) {
		System.out.printf(Locale.ROOT, "%s %2d: Liquibase's end to Started %.1f ms with the starter (its run %.1f ms, "
				+ "its beans %.1f ms), %.1f ms without; to Started %.0f / %.0f ms%n", kind, i + 1,
				pair[0].afterLiquibase() / 1e6, pair[0].run() / 1e6, pair[0].starterBeans() / 1e6,
				pair[1].afterLiquibase() / 1e6, pair[0].toStarted() / 1e6, pair[1].toStarted() / 1e6);
	}

	private static List<String> arguments(String url, Settings settings, boolean starter, Path work) {
		return List.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + settings.user(),
				"--spring.datasource.password=" + settings.password(),
				"--spring.liquibase.change-log=" + StartupApplication.CHANGELOG, "--data-migrate.enabled=" + starter,
				"--data-migrate.on-startup=run", "--logging.file.name=" + work.resolve("startup.log"),
				"--logging.threshold.console=WARN");
	}

	/**
	 * One start in a JVM of its own, started with this JVM's class path.
	 */
	private static Start child(Path classes, List<String> arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-classpath", System.getProperty("java.class.path"), StartupBenchmark.class.getName(), CHILD,
				classes.toString()));
		command.addAll(arguments);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		Start start = null;
		StringBuilder output = new StringBuilder();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				Start parsed = Start.parse(line);
				start = (parsed != null) ? parsed : start;
				output.append(line).append('\n');
			}
		}
		int exit = process.waitFor();
		if (exit != 0 || start == null) {
			throw new IllegalStateException("A fresh JVM's start failed (exit " + exit + "):\n" + output);
		}
		return start;
	}

	/**
	 * Every migration SUCCEEDED after one attempt, and every changeset applied: the measured starts have
	 * nothing to do, and none of them ran anything again.
	 */
	private static void check(String url, Settings settings, int count) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, settings.user(), settings.password());
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select (select count(*) from data_migrations where status = "
						+ "'SUCCEEDED' and attempts = 1), (select count(*) from data_migrations), "
						+ "(select count(*) from databasechangelog)")) {
			result.next();
			if (result.getInt(1) != count || result.getInt(2) != count || result.getInt(3) != 5) {
				throw new IllegalStateException("Expected " + count + " migrations SUCCEEDED once and 5 changesets, found "
						+ result.getInt(1) + " of " + result.getInt(2) + " and " + result.getInt(3));
			}
		}
	}

	/**
	 * The commit the benchmark ran on, with {@code +} when the work tree had changes, or the label given.
	 */
	private static String label() {
		String given = get("label", "");
		if (!given.isBlank()) {
			return given;
		}
		try {
			Process process = new ProcessBuilder("git", "describe", "--always", "--dirty=+").redirectErrorStream(true)
				.start();
			String commit = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			return (process.waitFor() == 0) ? commit : "unknown";
		}
		catch (IOException | InterruptedException ex) {
			return "unknown";
		}
	}

	/**
	 * The URL of another database on the same server.
	 */
	static String databaseUrl(String url, String database) {
		int slash = url.indexOf('/', url.indexOf("//") + 2);
		int query = url.indexOf('?', slash);
		return url.substring(0, slash + 1) + database + ((query >= 0) ? url.substring(query) : "");
	}

	private static String get(String name, String fallback) {
		String value = System.getProperty("benchmark." + name);
		if (value == null || value.isBlank()) {
			value = System.getenv("BENCHMARK_" + name.toUpperCase(Locale.ROOT));
		}
		return (value == null || value.isBlank()) ? fallback : value;
	}

	private static void execute(String url, Settings settings, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, settings.user(), settings.password());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
