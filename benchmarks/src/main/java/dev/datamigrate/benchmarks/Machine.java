package dev.datamigrate.benchmarks;

import java.io.IOException;
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

/**
 * The machine a run was made on, as far as it can be read from inside.
 *
 * @param cpu CPU model from /proc/cpuinfo
 * @param cores processors available to the JVM
 * @param memory total memory from /proc/meminfo
 * @param os operating system
 * @param java Java runtime
 * @param postgres PostgreSQL version
 * @param postgresSettings the PostgreSQL settings that matter most to write throughput
 * @param loadAtStart /proc/loadavg when the run started
 * @param loadAtEnd /proc/loadavg when it ended
 * @param oldestOtherTransactionSeconds age of the oldest transaction of another session that holds back the
 * xmin horizon, at the start
 * @param replicas rows of {@code pg_stat_replication} (streaming replicas and other WAL senders) at the start
 * @param slots logical replication slots at the start
 */
record Machine(String cpu, int cores, String memory, String os, String java, String postgres, String postgresSettings,
		String loadAtStart, String loadAtEnd, double oldestOtherTransactionSeconds, int replicas, int slots) {

	static Machine describe(Settings settings) throws SQLException {
		String version;
		double oldestTransaction;
		int replicas;
		int slots;
		List<String> pgSettings = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
				Statement statement = connection.createStatement()) {
			try (ResultSet result = statement.executeQuery("select version()")) {
				result.next();
				version = result.getString(1);
			}
			try (ResultSet result = statement.executeQuery("select coalesce(max(extract(epoch from now() - xact_start)), 0) "
					+ "from pg_stat_activity where pid <> pg_backend_pid() "
					+ "and (backend_xid is not null or backend_xmin is not null)")) {
				result.next();
				oldestTransaction = result.getDouble(1);
			}
			try (ResultSet result = statement.executeQuery("select (select count(*) from pg_stat_replication), "
					+ "(select count(*) from pg_replication_slots where slot_type = 'logical')")) {
				result.next();
				replicas = result.getInt(1);
				slots = result.getInt(2);
			}
			for (String name : List.of("synchronous_commit", "fsync", "full_page_writes", "wal_level",
					"shared_buffers", "max_wal_size", "checkpoint_timeout")) {
				try (ResultSet result = statement.executeQuery("show " + name)) {
					result.next();
					pgSettings.add(name + "=" + result.getString(1));
				}
			}
		}
		return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), totalMemory(),
				System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
						+ System.getProperty("os.arch"),
				System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), version,
				String.join(", ", pgSettings), loadAverage(), null, oldestTransaction, replicas, slots);
	}

	Machine withLoadAtEnd() {
		return new Machine(this.cpu, this.cores, this.memory, this.os, this.java, this.postgres, this.postgresSettings,
				this.loadAtStart, loadAverage(), this.oldestOtherTransactionSeconds, this.replicas, this.slots);
	}

	/** The 1-minute load average at the start, or NaN when unknown. */
	double loadAverageAtStart() {
		try {
			return Double.parseDouble(this.loadAtStart.split(" ")[0]);
		}
		catch (RuntimeException ex) {
			return Double.NaN;
		}
	}

	/**
	 * How busy the machine was at the start, for the report.
	 * @param note the run's own note, or blank
	 * @return the load note
	 */
	String loadNote(String note) {
		String measured = String.format(Locale.ROOT, "1-minute load average %.2f on %d cores at the start.",
				loadAverageAtStart(), this.cores);
		String more = note.isBlank() ? "" : " " + note;
		if (this.oldestOtherTransactionSeconds > 60) {
			more += String.format(Locale.ROOT, " Another session held a transaction open for %.0f s at the start (it "
					+ "holds back the horizon below which PostgreSQL may prune dead row versions, for every table).",
					this.oldestOtherTransactionSeconds);
		}
		if (loadAverageAtStart() > 0.5 * this.cores) {
			return "The machine was busy: " + measured + more
					+ (note.isBlank() ? " The figures are noisy; rerun on a quiet machine." : "");
		}
		return measured + more;
	}

	private static String cpuModel() {
		return lines("/proc/cpuinfo").stream()
			.filter((line) -> line.startsWith("model name"))
			.map((line) -> line.substring(line.indexOf(':') + 1).trim())
			.findFirst()
			.orElse("unknown");
	}

	private static String totalMemory() {
		return lines("/proc/meminfo").stream()
			.filter((line) -> line.startsWith("MemTotal:"))
			.map((line) -> Long.parseLong(line.replaceAll("\\D", "")))
			.map((kib) -> String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0))
			.findFirst()
			.orElse("unknown");
	}

	static String loadAverage() {
		List<String> lines = lines("/proc/loadavg");
		if (lines.isEmpty()) {
			return "unknown";
		}
		String[] fields = lines.get(0).split(" ");
		return fields[0] + " " + fields[1] + " " + fields[2];
	}

	private static List<String> lines(String file) {
		try {
			return Files.readAllLines(Path.of(file));
		}
		catch (IOException ex) {
			return List.of();
		}
	}

}
