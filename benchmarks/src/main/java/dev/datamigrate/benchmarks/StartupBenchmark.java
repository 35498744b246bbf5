package dev.datamigrate.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.datamigrate.benchmarks.startup.GeneratedMigrations;
import dev.datamigrate.benchmarks.startup.StartupApplication;
import dev.datamigrate.benchmarks.startup.StartupApplication.Start;
import dev.datamigrate.benchmarks.startup.StartupJvm;

import org.springframework.util.FileSystemUtils;

/**
 * What the starter adds to an application's startup when it has nothing to do: 200 data migrations all
 * SUCCEEDED in a PostgreSQL database of their own, a Liquibase changelog all applied, {@code on-startup=run}.
 * Starts the application again and again, with the starter and without ({@code data-migrate.enabled=false}),
 * in pairs whose order alternates, in JVMs of their own: warm (several pairs in one JVM) and fresh (one start
 * per JVM). With {@code -Dbenchmark.baseline=} another build of the starter takes turns with this one, so
 * that both meet the same load. Writes its section of BENCHMARKS.md ({@link StartupReport}). Run on demand,
 * see {@link #COMMAND}.
 */
public final class StartupBenchmark {

	static final String COMMAND = "./mvnw -q -pl benchmarks -am -Dmaven.test.skip=true -Pstartup-benchmark package";

	/** Measured pairs of starts in one warm JVM. */
	static final int PAIRS_PER_WARM_JVM = 10;

	private StartupBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Settings settings = Settings.fromSystem();
		int count = Integer.parseInt(get("migrations", "200"));
		int warm = Integer.parseInt(get("starts", "20"));
		int fresh = Integer.parseInt(get("jvms", "8"));
		List<Code> codes = new ArrayList<>();
		String baseline = get("baseline", "");
		if (!baseline.isBlank()) {
			codes.add(new Code(get("baseline-label", "baseline"), StartupJvm.withStarter(Path.of(baseline))));
		}
		codes.add(new Code(label(), StartupJvm.current()));
		String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		String database = "bench_startup_" + suffix;
		Machine machine = Machine.describe(settings);
		Path work = Files.createTempDirectory("startup-benchmark-");
		Path classes = GeneratedMigrations.compile(count, work);
		String url = databaseUrl(settings.url(), database);
		List<String> arguments = arguments(url, settings, work);
		execute(settings.url(), settings, "create database " + database);
		try {
			System.out.printf(Locale.ROOT, "Startup benchmark on %s: %d migrations, %d warm pairs and %d fresh JVM pairs "
					+ "for each of %s%n", url, count, warm, fresh, codes.stream().map(Code::label).toList());
			List<String> prepare = new ArrayList<>(arguments);
			prepare.add("--data-migrate.enabled=true");
			StartupApplication.start(GeneratedMigrations.loader(classes), prepare);
			check(url, settings, count);
			for (int round = 0; round * PAIRS_PER_WARM_JVM < warm; round++) {
				int pairs = Math.min(PAIRS_PER_WARM_JVM, warm - round * PAIRS_PER_WARM_JVM);
				for (Code code : inTurn(codes, round)) {
					for (Start[] pair : code.jvm().warm(classes, arguments, pairs)) {
						code.warm().add(pair);
						print(code.label() + ", warm", code.warm().size(), pair);
					}
				}
			}
			for (int i = 0; i < fresh; i++) {
				for (Code code : inTurn(codes, i)) {
					boolean starterFirst = i % 2 == 0;
					Start first = code.jvm().once(classes, arguments, starterFirst);
					Start second = code.jvm().once(classes, arguments, !starterFirst);
					code.fresh().add(starterFirst ? new Start[] { first, second } : new Start[] { second, first });
					print(code.label() + ", fresh JVMs", code.fresh().size(), code.fresh().get(i));
				}
			}
			check(url, settings, count);
			StartupReport report = new StartupReport(settings, machine.withLoadAtEnd(), count, command(baseline), codes);
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
	 * A build of the starter and its starts.
	 *
	 * @param label what the report calls it
	 * @param jvm JVMs with it on the class path
	 * @param warm pairs of warm starts: with the starter, then without
	 * @param fresh pairs of fresh JVMs' starts
	 */
	record Code(String label, StartupJvm jvm, List<Start[]> warm, List<Start[]> fresh) {

		Code(String label, StartupJvm jvm) {
			this(label, jvm, new ArrayList<>(), new ArrayList<>());
		}

	}

	/**
	 * The builds in the order of a round: each goes first in every other round.
	 */
	private static List<Code> inTurn(List<Code> codes, int round) {
		List<Code> order = new ArrayList<>(codes);
		if (round % 2 == 1) {
			Collections.reverse(order);
		}
		return order;
	}

	private static void print(String kind, int number, Start[] pair) {
		System.out.printf(Locale.ROOT, "%s %2d: Liquibase's end to Started %.1f ms with the starter (its run %.1f ms, "
				+ "its beans %.1f ms), %.1f ms without; to Started %.0f / %.0f ms%n", kind, number,
				pair[0].afterLiquibase() / 1e6, pair[0].run() / 1e6, pair[0].starterBeans() / 1e6,
				pair[1].afterLiquibase() / 1e6, pair[0].toStarted() / 1e6, pair[1].toStarted() / 1e6);
	}

	private static List<String> arguments(String url, Settings settings, Path work) {
		return List.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + settings.user(),
				"--spring.datasource.password=" + settings.password(),
				"--spring.liquibase.change-log=" + StartupApplication.CHANGELOG, "--data-migrate.on-startup=run",
				"--logging.file.name=" + work.resolve("startup.log"), "--logging.threshold.console=WARN");
	}

	/**
	 * The command that reproduces this run.
	 */
	private static String command(String baseline) {
		StringBuilder command = new StringBuilder(COMMAND);
		for (String[] knob : new String[][] { { "migrations", "200" }, { "starts", "20" }, { "jvms", "8" } }) {
			String value = get(knob[0], knob[1]);
			if (!value.equals(knob[1])) {
				command.append(" -Dbenchmark.").append(knob[0]).append('=').append(value);
			}
		}
		if (!get("label", "").isBlank()) {
			command.append(" \"-Dbenchmark.label=").append(get("label", "")).append('"');
		}
		if (!baseline.isBlank()) {
			command.append(" -Dbenchmark.baseline=").append(baseline).append(" \"-Dbenchmark.baseline-label=")
				.append(get("baseline-label", "baseline")).append('"');
		}
		return command.toString();
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
			value = System.getenv("BENCHMARK_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
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
