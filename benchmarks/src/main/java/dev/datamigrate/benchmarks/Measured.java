package dev.datamigrate.benchmarks;

import java.util.Locale;

/**
 * The "What was measured" text of BENCHMARKS.md.
 */
final class Measured {

	private Measured() {
	}

	static String text(Settings settings, Machine machine) {
		return String.format(Locale.ROOT, "The work: `update notify_log_entries set purpose = 'unknown' where purpose "
				+ "is null` on a table `notify_log_entries(id bigint primary key, message text, purpose text null, "
				+ "created_at timestamp)` of %,d rows, all with a null purpose (about 100 bytes a row). Before each way "
				+ "the table is dropped, filled again from `generate_series`, `VACUUM ANALYZE`d and a `CHECKPOINT` is "
				+ "taken, so every way starts from the same state (autovacuum is off on this table so that it cannot "
				+ "wake up in some runs and not in others).%n%n", settings.rows())
				+ "- (a) The single statement above, on one connection, committed. It runs first and last in each "
				+ "round; its time for the round is the mean of both, so that a steady drift of the machine's speed "
				+ "during the round does not move the ratios of the ways in between.\n"
				+ "- (b) The whole starter: a Spring Boot application (data-migrate auto-configuration, Hikari with "
				+ "its defaults, `DataSourceTransactionManager`, `data-migrate.on-startup=skip`) with one "
				+ "`@DataMigration` that walks `context.batches(\"notify_log_entries\").key(\"id\", Long.class)"
				+ ".where(\"purpose is null\")` by `.update(\"update ... where purpose is null and id between :first "
				+ "and :last\")` or by a handler, `.run(batch -> jdbc.update(\"update ... where purpose is null and id "
				+ "between ? and ?\", batch.first(), batch.last()))`. Each batch is one transaction: the per-transaction "
				+ "limits (`set_config` of `lock_timeout`, `statement_timeout` and `synchronous_commit = off`), the "
				+ "batch's key range read by the key alone (min, max, count and matches of the next keys), the work, "
				+ "the owner-guarded checkpoint in `data_migrations`, the commit. \"Default settings\" sets no size: "
				+ "batches are sized by time (`data-migrate.batch.target-duration` 100 ms, from `min-size` 100 up to "
				+ "`max-size` 50,000, growing by at most 1.2x a batch). The ways with a size call `.size(N)`. "
				+ "\"Fresh column\" makes the table without `purpose` and adds it (`alter table ... add column purpose "
				+ "text`) after the analyze, just before the walk, so that no row holds it and the planner has no "
				+ "statistics of it. `synchronous-commit=true` runs in an application of its own with that property. "
				+ builtInChecks(machine)
				+ "The time is that of `DataMigrations.runPending()`: lock, history, the `count(*)` for the total, "
				+ "every batch, the final history update. The application is started once, before the warm-up, and "
				+ "its pool is full before anything is timed, as in a running service that runs a post-deploy "
				+ "migration; dropping `data_migrations` with the table makes the migration pending again. The "
				+ "`data_migration_batch` events are logged at INFO (at most one per 5 s, the default) to a file.\n"
				+ "- (c) A hand-written JDBC loop on one connection: `select id ... where (purpose is null) and id > ? "
				+ "order by id limit N`, the range update, an update of a checkpoint row (last key, counters, time) "
				+ "with `set local synchronous_commit = off` in the same round trip, commit.\n"
				+ String.format(Locale.ROOT, "- (d) Spring Data JPA with Spring Boot's defaults: an entity for the "
						+ "table, a derived keyset query `findByPurposeIsNullAndIdGreaterThanOrderByIdAsc(after, "
						+ "Limit.of(1000))`, purpose set on each entity, `saveAll`, one `TransactionTemplate` "
						+ "transaction per chunk (one UPDATE per entity: no `hibernate.jdbc.batch_size` by default). "
						+ "It runs over the first %,d rows only and its rows/s is that part's rate.%n%n",
						Math.min(settings.jpaRows(), settings.rows()))
				+ String.format(Locale.ROOT, "Batch time: from one batch's commit to the next one's, so it covers "
						+ "everything a batch costs; for (b) as a `DataMigrationListener` is told of them "
						+ "(`batchCommitted`), for (d) one chunk's transaction. The first batch of each run is left "
						+ "out; batch rows count every batch. JVM thread CPU: CPU time of the thread that ran the way "
						+ "(the database's work is not in it). Warm-up: each way runs once on a %,d-row table first. "
						+ "Rounds: %d, each running (a), then every other way, each round starting a way further down "
						+ "the table below (wrapping around), then (a) again; rows/s and seconds are the median "
						+ "round's, JVM thread CPU the median of the rounds', batch figures pool all rounds. Ratios "
						+ "between ways (\"vs (a)\", the targets) are the median of each round's ratio.%n%n",
						settings.warmupRows(), settings.rounds());
	}

	/** The built-in throttle checks of the (b) ways, and the way without them. */
	private static String builtInChecks(Machine machine) {
		String found = (machine.replicas() == 0 && machine.slots() == 0)
				? "The shared server has no replicas and no logical replication slots (`pg_stat_replication` and "
						+ "`pg_replication_slots` were empty at the start), so the checks run their queries and find "
						+ "nothing to wait for: what the way without them measures is the cost of asking. "
				: String.format(Locale.ROOT, "At the start `pg_stat_replication` had %d row(s) and there were %d "
						+ "logical replication slot(s): the checks could have held a walk. ", machine.replicas(),
						machine.slots());
		return "Every (b) way but one runs the starter's built-in throttle checks, on by default: at most once a "
				+ "second (`data-migrate.throttle.interval`) before a batch, the replay lag of each streaming replica "
				+ "(`pg_stat_replication`), the lag of logical slots and an anti-wraparound vacuum of the walked "
				+ "table. " + found + "\"Built-in throttle checks off\" runs in an application of its own with "
				+ "`data-migrate.throttle.enabled=false`. ";
	}

}
