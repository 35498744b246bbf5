package dev.datamigrate.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * The table every way works on, made anew before each run so that each starts from the same state.
 */
final class BenchTable {

	static final String NAME = "notify_log_entries";

	/** The one statement of way (a), and the per-batch statement of the other ways (with a key range). */
	static final String UPDATE_ALL = "update notify_log_entries set purpose = 'unknown' where purpose is null";

	static final String UPDATE_RANGE = UPDATE_ALL + " and id between ? and ?";

	private BenchTable() {
	}

	/**
	 * Drop and fill the table with {@code rows} rows whose purpose is null, drop the history and
	 * checkpoint tables of earlier runs, then vacuum, analyze and checkpoint so that no way pays for
	 * the previous one's dead rows, statistics or dirty pages. With {@code freshPurpose} the table is made
	 * without the purpose column, which is added after the analyze, as a migration that adds a column and
	 * backfills it finds it: no row holds it yet and the planner has no statistics of it.
	 * @param dataSource the benchmark schema
	 * @param rows how many rows
	 * @param freshPurpose whether to add the purpose column after the analyze
	 * @throws SQLException on failure
	 */
	static void recreate(DataSource dataSource, int rows, boolean freshPurpose) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(true);
			statement.execute("drop table if exists " + NAME);
			statement.execute("drop table if exists data_migrations");
			statement.execute("drop table if exists bench_checkpoint");
			// autovacuum off on the table: it would wake up at an arbitrary point of some runs and not of others
			statement.execute("create table " + NAME + " (id bigint primary key, message text not null, "
					+ (freshPurpose ? "" : "purpose text, ")
					+ "created_at timestamp not null) with (autovacuum_enabled = false)");
			statement.execute("insert into " + NAME + " (id, message, created_at) "
					+ "select i, 'Notification ' || i || ' sent to user ' || (i::bigint * 7919 % 100000), "
					+ "timestamp '2026-01-01' + i * interval '1 second' from generate_series(1, " + rows + ") i");
			statement.execute("create table bench_checkpoint (name text primary key, checkpoint text, "
					+ "records_processed bigint not null, batches_done bigint not null, updated_at timestamp)");
			statement.execute("insert into bench_checkpoint (name, records_processed, batches_done) values ('backfill', 0, 0)");
			statement.execute("vacuum analyze " + NAME);
			statement.execute("checkpoint");
			if (freshPurpose) {
				statement.execute("alter table " + NAME + " add column purpose text");
			}
		}
	}

}
