package dev.datamigrate.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationListener;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batches sized by time, with the default settings: over cheap rows the size grows from the minimum to
 * where a batch takes about the target of 100 ms; once rows cost more (a trigger, created between two
 * batches, that sleeps 5 ms on every 50th row: well above pg_sleep's granularity), it shrinks within a
 * batch or two; nine batches in ten stay under twice the target in both phases. The tail (p99) is the
 * benchmark's to measure: on a loaded machine a batch or two wait for the processor whatever their size.
 */
class AdaptiveSizeTests {

	private static final int ROWS = 400_000;

	/**
	 * Rows processed when rows become expensive: the batch that crosses it and the first expensive one, each
	 * up to the largest batch (50,000), leave at least 50,000 rows for the expensive phase.
	 */
	private static final int SLOW_FROM = 250_000;

	private static final long TARGET_NANOS = 100_000_000;

	/** The default data-migrate.batch.max-size. */
	private static final long MAX_SIZE = 50_000;

	/** Each batch: when it was committed, and its records. */
	static final List<long[]> batches = new ArrayList<>();

	@Test
	void theSizeGrowsToTheTargetAndShrinksWhenRowsBecomeExpensive() {
		batches.clear();
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, TestDatabase.Kind.POSTGRESQL, ROWS);
			jdbc.execute("analyze items");
			jdbc.execute("create function slow_row() returns trigger as $$ begin perform pg_sleep(0.005); "
					+ "return new; end $$ language plpgsql");
			MigrationContexts.jdbc(database)
				.withUserConfiguration(TimedBackfill.class)
				.withPropertyValues("data-migrate.on-startup=skip")
				.run((context) -> {
					DataMigrations migrations = context.getBean(DataMigrations.class);
					migrations.runPending();
					assertThat(migrations.status().find("1").orElseThrow().status()).isEqualTo(MigrationStatus.SUCCEEDED);
				});
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, ROWS));
		}
		int switched = firstBatchAfter(SLOW_FROM);
		List<Long> cheap = durations(1, switched);
		// the first expensive batch was sized before its rows became expensive
		List<Long> expensive = durations(switched + 1, batches.size() - 1);
		long cheapSize = batches.get(switched - 1)[1];
		assertThat(batches.get(0)[1]).as("the first batch has the minimum size").isEqualTo(100);
		assertThat(cheapSize).as("the size reached over cheap rows").isGreaterThan(2_000);
		long lastCheap = median(cheap.subList(cheap.size() - 10, cheap.size()));
		if (cheapSize < MAX_SIZE) {
			assertThat(lastCheap).as("the last cheap batches, ns").isBetween(TARGET_NANOS / 2, TARGET_NANOS * 3 / 2);
		}
		else {
			// a machine that updates the largest batch within the target stops there
			assertThat(lastCheap).as("the last cheap batches, at the largest size, ns").isLessThan(TARGET_NANOS * 3 / 2);
		}
		assertThat(p90(cheap)).as("p90 of the cheap batches, ns").isLessThan(2 * TARGET_NANOS);
		assertThat(batches.get(switched + 1)[1]).as("the size right after the first expensive batch")
			.isLessThan(cheapSize / 5);
		assertThat(expensive).as("expensive batches after the first").hasSizeGreaterThan(50);
		assertThat(median(expensive)).as("median of the expensive batches, ns")
			.isBetween(TARGET_NANOS / 2, TARGET_NANOS * 3 / 2);
		assertThat(p90(expensive)).as("p90 of the expensive batches, ns").isLessThan(2 * TARGET_NANOS);
	}

	private static int firstBatchAfter(long records) {
		long processed = 0;
		for (int i = 0; i < batches.size(); i++) {
			if (processed >= records) {
				return i;
			}
			processed += batches.get(i)[1];
		}
		throw new AssertionError("no batch after " + records + " records");
	}

	/** The durations of batches {@code from} to {@code to}, exclusive, as the time since the batch before. */
	private static List<Long> durations(int from, int to) {
		List<Long> durations = new ArrayList<>();
		for (int i = from; i < to; i++) {
			durations.add(batches.get(i)[0] - batches.get(i - 1)[0]);
		}
		return durations;
	}

	private static long median(List<Long> values) {
		return values.stream().sorted().toList().get(values.size() / 2);
	}

	private static long p90(List<Long> values) {
		List<Long> sorted = values.stream().sorted().toList();
		return sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1);
	}

	@Configuration(proxyBeanMethods = false)
	@Import(TimedBackfill.Migration.class)
	static class TimedBackfill {

		/**
		 * Records each batch and, between two batches once {@link #SLOW_FROM} records are done, makes every
		 * row expensive to update.
		 */
		@Bean
		DataMigrationListener batchTimes(JdbcTemplate jdbc) {
			long[] processed = { 0 };
			return new DataMigrationListener() {

				@Override
				public void batchCommitted(String version, int records) {
					batches.add(new long[] { System.nanoTime(), records });
					if (processed[0] < SLOW_FROM && processed[0] + records >= SLOW_FROM) {
						jdbc.execute("create trigger slow_row before update on items for each row when (new.id % 50 = 0) "
								+ "execute function slow_row()");
					}
					processed[0] += records;
				}

			};
		}

		@DataMigration(version = "1", transactional = false)
		static class Migration implements DataMigrationTask {

			@Override
			public void migrate(DataMigrationContext context) {
				context.batches("items").update("update items set changes = changes + 1 where id between :first and :last");
			}

		}

	}

}
