package dev.datamigrate.logging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log events of a batched run carry the fields of SPEC.md, as JSON fields under structured logging.
 */
class LogEventsTests {

	@TempDir
	Path directory;

	@Test
	void structuredLoggingPrintsEventFieldsAsJson() throws Exception {
		List<Map<String, Object>> events = new ArrayList<>();
		for (String line : run("--logging.structured.format.console=ecs")) {
			if (line.startsWith("{") && line.contains("\"data_migration_")) {
				events.add(JsonPath.parse(line).read("$"));
			}
		}
		assertThat(events).extracting((event) -> event.get("message").toString().split(" ")[0])
			.containsExactly("data_migration_start", "data_migration_batch", "data_migration_batch",
					"data_migration_batch", "data_migration_finish");
		assertThat(events.get(0)).containsEntry("migration", "Backfill items")
			.containsEntry("version", "1")
			.containsEntry("total_records", 2500)
			.containsEntry("total_batches", 3);
		assertThat(events.get(1)).containsEntry("migration", "Backfill items")
			.containsEntry("records_updated", 1000)
			.containsEntry("batch_size", 1000)
			.containsEntry("batch_processed", 1)
			.containsEntry("total_batches", 3);
		assertThat(events.get(3)).containsEntry("records_updated", 500)
			.containsEntry("batch_size", 500)
			.containsEntry("batch_processed", 3);
		assertThat(events.get(4)).containsEntry("migration", "Backfill items")
			.containsEntry("total_records", 2500)
			.containsEntry("records_updated", 2500)
			.containsKey("duration_ms");
	}

	@Test
	void plainLoggingRepeatsTheFieldsInTheMessage() throws Exception {
		assertThat(run()).filteredOn((line) -> line.contains("data_migration_"))
			.anySatisfy((line) -> assertThat(line).endsWith(
					"data_migration_start migration=\"Backfill items\" version=1 total_records=2500 total_batches=3"))
			.anySatisfy((line) -> assertThat(line).endsWith("data_migration_batch migration=\"Backfill items\" "
					+ "records_updated=500 batch_size=500 batch_processed=3 total_batches=3"));
	}

	private List<String> run(String... arguments) throws IOException, InterruptedException {
		Path output = this.directory.resolve("out.log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				LoggingApplication.class.getName()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
		List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(String.join("\n", lines)).isZero();
		return lines;
	}

}
