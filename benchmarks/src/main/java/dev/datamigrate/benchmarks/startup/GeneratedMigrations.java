package dev.datamigrate.benchmarks.startup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Many small {@code @DataMigration} classes, as an application with a long history of them has: each a
 * class of its own with its own annotation and version, written as source and compiled with the JDK's
 * compiler at run time (so the repository holds no copies), then found by component scanning.
 */
public final class GeneratedMigrations {

	/** The package of the generated classes, which the application scans. */
	public static final String PACKAGE = "bench.startup.migrations";

	private GeneratedMigrations() {
	}

	/**
	 * Write and compile the migrations.
	 * @param count how many
	 * @param directory an empty directory for the sources and classes
	 * @return the directory of the classes
	 */
	public static Path compile(int count, Path directory) {
		try {
			Path sources = Files.createDirectories(directory.resolve("src").resolve(PACKAGE.replace('.', '/')));
			Path classes = Files.createDirectories(directory.resolve("classes"));
			List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
					System.getProperty("java.class.path"), "-proc:none", "-nowarn"));
			for (int i = 1; i <= count; i++) {
				String name = String.format(Locale.ROOT, "Migration%04d", i);
				Path source = sources.resolve(name + ".java");
				Files.writeString(source, source(name, version(i)));
				arguments.add(source.toString());
			}
			JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
			if (compiler == null) {
				throw new IllegalStateException("The startup benchmark compiles its migrations and needs a JDK, not a JRE: "
						+ System.getProperty("java.home"));
			}
			int status = compiler.run(null, null, null, arguments.toArray(String[]::new));
			if (status != 0) {
				throw new IllegalStateException("Compiling the generated migrations failed (javac exit " + status + ")");
			}
			return classes;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The version of the i-th migration, as a team would number them by date.
	 * @param i from 1
	 * @return the version
	 */
	public static String version(int i) {
		return String.format(Locale.ROOT, "2025.%02d.%02d.%d", 1 + (i - 1) / 28 % 12, 1 + (i - 1) % 28, 1 + (i - 1) / 336);
	}

	/**
	 * A class loader that sees the compiled migrations, and everything else through the benchmark's own.
	 * @param classes the directory of the classes
	 * @return the class loader
	 */
	public static ClassLoader loader(Path classes) {
		try {
			return new URLClassLoader(new URL[] { classes.toUri().toURL() }, GeneratedMigrations.class.getClassLoader());
		}
		catch (MalformedURLException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	private static String source(String name, String version) {
		return """
				package %s;

				import dev.datamigrate.DataMigration;
				import dev.datamigrate.DataMigrationContext;
				import dev.datamigrate.DataMigrationTask;

				@DataMigration(version = "%s")
				public class %s implements DataMigrationTask {

					@Override
					public void migrate(DataMigrationContext context) {
					}

				}
				""".formatted(PACKAGE, version, name);
	}

}
