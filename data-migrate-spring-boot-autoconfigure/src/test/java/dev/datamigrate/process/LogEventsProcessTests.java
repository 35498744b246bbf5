package dev.datamigrate.process;

import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log events of a batched run carry the fields of SPEC.md: in the message for plain logs, and as
 * JSON fields under Spring Boot's structured logging.
 */
class LogEventsProcessTests extends ChildJvmTestSupport {

	@Test
	void structuredLoggingPrintsEventFieldsAsJson() throws Exception {
		List<Map<String, Object>> events = run("--logging.structured.format.console=ecs").stdout()
			.lines()
			.filter((line) -> line.startsWith("{") && line.contains("\"data_migration_"))
			.map((line) -> JsonPath.parse(line).<Map<String, Object>>read("$"))
			.toList();
		assertThat(events).extracting((event) -> event.get("message").toString().split(" ")[0])
			.as("the first batch at once, the other two together when the walk ends, within the log interval")
			.containsExactly("data_migration_start", "data_migration_batch", "data_migration_batch",
					"data_migration_finish");
		assertThat(events.get(0)).containsEntry("migration", "Backfill items")
			.containsEntry("version", "1")
			.containsEntry("total_records", 2500)
			.containsEntry("total_batches", 3);
		assertThat(events.get(1)).containsEntry("migration", "Backfill items")
			.containsEntry("version", "1")
			.containsEntry("records_updated", 1000)
			.containsEntry("batches", 1)
			.containsEntry("batch_size", 1000)
			.containsEntry("batch_processed", 1)
			.containsEntry("total_batches", 3);
		assertThat(events.get(2)).containsEntry("records_updated", 1500)
			.containsEntry("batches", 2)
			.containsEntry("batch_size", 1000)
			.containsEntry("batch_processed", 3);
		assertThat(events.get(3)).containsEntry("migration", "Backfill items")
			.containsEntry("total_records", 2500)
			.containsEntry("records_updated", 2500)
			.containsKey("duration_ms");
	}

	@Test
	void plainLoggingRepeatsTheFieldsInTheMessage() throws Exception {
		assertThat(run().stdout().lines().filter((line) -> line.contains("data_migration_")))
			.anySatisfy((line) -> assertThat(line).endsWith(
					"data_migration_start migration=\"Backfill items\" version=1 total_records=2500 total_batches=3"))
			.anySatisfy((line) -> assertThat(line).endsWith("data_migration_batch migration=\"Backfill items\" "
					+ "version=1 records_updated=1500 batches=2 batch_size=1000 batch_processed=3 total_batches=3"));
	}

	private Exited run(String... logging) throws Exception {
		useDatabase(Kind.POSTGRESQL);
		Items.create(this.jdbc, Kind.POSTGRESQL, 2_500);
		String[] arguments = new String[logging.length + 2];
		arguments[0] = "--data-migrate.on-startup=run-and-exit";
		arguments[1] = "--data-migrate.batch.size=1000";
		System.arraycopy(logging, 0, arguments, 2, logging.length);
		Exited exited = runToEnd("log-events", Items.class, arguments);
		assertThat(exited.code()).as(exited.describe()).isZero();
		return exited;
	}

}
