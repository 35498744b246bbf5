package dev.datamigrate.process;

import dev.datamigrate.Batches;
import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.fixtures.RecordingMigration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sets of migrations a {@link ChildApp} can be started with, one {@code @Configuration} each, as
 * successive releases of one service would declare them.
 */
final class ChildMigrations {

	static final String FAILURE_MESSAGE = "Row 42 of legacy_flags has no owner";

	private ChildMigrations() {
	}

	/** The first release: one migration. */
	@Configuration(proxyBeanMethods = false)
	@Import(CreateDefaults.class)
	static class FirstRelease {

	}

	/** Three migrations that succeed. */
	@Configuration(proxyBeanMethods = false)
	@Import({ CreateDefaults.class, MoveFlags.class, CleanUpOrphans.class })
	static class ThreeMigrations {

	}

	/** Three migrations, the second of which throws. */
	@Configuration(proxyBeanMethods = false)
	@Import({ CreateDefaults.class, FailingMoveFlags.class, CleanUpOrphans.class })
	static class SecondFails {

	}

	/** One slow batched backfill over {@code items}. */
	@Configuration(proxyBeanMethods = false)
	@Import(CountItemsOnce.class)
	static class SlowBackfill {

	}

	/** One batched backfill over the million rows of {@code million_items}, 1,000 keys a batch. */
	@Configuration(proxyBeanMethods = false)
	@Import(CountMillionItemsOnce.class)
	static class MillionRowBackfill {

	}

	/** One backfill over the million rows of {@code items}, four workers on each instance. */
	@Configuration(proxyBeanMethods = false)
	@Import(CountItemsOnceInParallel.class)
	static class ParallelMillionRowBackfill {

	}

	@DataMigration(version = "2026.1", description = "Create default settings")
	static class CreateDefaults extends RecordingMigration {

		CreateDefaults(JdbcTemplate jdbc) {
			super(jdbc);
		}

	}

	@DataMigration(version = "2026.2", description = "Move feature flags to the new store")
	static class MoveFlags extends RecordingMigration {

		MoveFlags(JdbcTemplate jdbc) {
			super(jdbc);
		}

	}

	@DataMigration(version = "2026.2", description = "Move feature flags to the new store")
	static class FailingMoveFlags extends RecordingMigration {

		FailingMoveFlags(JdbcTemplate jdbc) {
			super(jdbc);
		}

		@Override
		public void migrate(DataMigrationContext context) throws Exception {
			super.migrate(context);
			throw new IllegalStateException(FAILURE_MESSAGE);
		}

	}

	@DataMigration(version = "2026.10", description = "Clean up orphaned sessions")
	static class CleanUpOrphans extends RecordingMigration {

		CleanUpOrphans(JdbcTemplate jdbc) {
			super(jdbc);
		}

	}

	/**
	 * Adds one to every row's counter, in keyset batches (size and pause from
	 * {@code data-migrate.batch.*}): a counter other than 1 afterwards means a row was missed or
	 * done twice.
	 */
	@DataMigration(version = "2026.03.05.1", description = "Count every item once")
	static class CountItemsOnce implements DataMigrationTask {

		private final JdbcTemplate jdbc;

		CountItemsOnce(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Override
		public void migrate(DataMigrationContext context) throws Exception {
			context.batches("items")
				.run((batch) -> this.jdbc.update("update items set counter = counter + 1 where id between ? and ?",
						batch.first(), batch.last()));
		}

	}

	/**
	 * Adds one to the counter of each row of {@code million_items} in keyset batches of 1,000 (pause
	 * from {@code data-migrate.batch.pause}), by a handler or, with {@code million.by-statement=true}, by
	 * {@code update(sql)}: a plain increment, not an idempotent set, so a batch applied twice shows as a
	 * counter of 2.
	 */
	@DataMigration(version = CountMillionItemsOnce.VERSION, description = "Count each of a million items once")
	static class CountMillionItemsOnce implements DataMigrationTask {

		static final String VERSION = "2026.04.01.1";

		static final int BATCH_SIZE = 1_000;

		private final JdbcTemplate jdbc;

		private final boolean byStatement;

		CountMillionItemsOnce(JdbcTemplate jdbc, @Value("${million.by-statement:false}") boolean byStatement) {
			this.jdbc = jdbc;
			this.byStatement = byStatement;
		}

		@Override
		public void migrate(DataMigrationContext context) throws Exception {
			Batches<Long> batches = context.batches("million_items").size(BATCH_SIZE);
			if (this.byStatement) {
				batches.update("update million_items set counter = counter + 1 where id between :first and :last");
				return;
			}
			batches.run((batch) -> this.jdbc.update(
					"update million_items set counter = counter + 1 where id between ? and ?", batch.first(),
					batch.last()));
		}

	}

	/**
	 * Adds one to the counter {@code n} of each row of {@code items} by {@code update(sql)} in keyset
	 * batches of 1,000, walked by four workers on each instance (pause from
	 * {@code data-migrate.batch.pause}): a plain increment, so a batch applied twice shows as a 2. Nothing
	 * but the walk, as a migration that walks in parallel must be: joining instances call it too.
	 */
	@DataMigration(version = CountItemsOnceInParallel.VERSION, description = "Count each item once, in parallel")
	static class CountItemsOnceInParallel implements DataMigrationTask {

		static final String VERSION = "2026.06.01.1";

		static final int WORKERS = 4;

		static final int BATCH_SIZE = 1_000;

		@Override
		public void migrate(DataMigrationContext context) throws Exception {
			context.batches("items")
				.size(BATCH_SIZE)
				.parallel(WORKERS)
				.update("update items set n = n + 1 where id between :first and :last");
		}

	}

}
