package dev.datamigrate.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

/**
 * Ways (a), (c), (e) and (f): one UPDATE statement, a hand-written keyset loop with the same SQL as the
 * starter, that loop inside PostgreSQL, and that loop with one round trip a batch.
 */
final class PlainJdbc {

	private PlainJdbc() {
	}

	/**
	 * (a) One UPDATE statement over the whole table, committed.
	 */
	static Result singleStatement(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			long start = System.nanoTime();
			int changed = statement.executeUpdate(BenchTable.UPDATE_ALL);
			connection.commit();
			return new Result(changed, System.nanoTime() - start, new long[0]);
		}
	}

	/**
	 * (c) The loop a careful developer would write by hand, with the statements the starter sends by
	 * default: select the next keys after the last one, update that key range, write a checkpoint row and,
	 * in the same round trip, let the transaction commit without waiting for the disk flush, commit.
	 * @param dataSource the benchmark schema
	 * @param size keys per batch
	 * @return the result, with the time of each step of each batch
	 */
	static Result keysetLoop(DataSource dataSource, int size) throws SQLException {
		String firstKeys = "select id from " + BenchTable.NAME + " where (purpose is null) order by id limit " + size;
		String nextKeys = "select id from " + BenchTable.NAME + " where (purpose is null) and id > ? order by id limit " + size;
		String checkpoint = "update bench_checkpoint set checkpoint = ?, records_processed = records_processed + ?, "
				+ "batches_done = batches_done + 1, updated_at = ? where name = ?; set local synchronous_commit = off";
		Steps steps = new Steps("select keys", "update rows", "write checkpoint", "commit");
		List<Long> batches = new ArrayList<>();
		try (Connection connection = dataSource.getConnection();
				PreparedStatement first = connection.prepareStatement(firstKeys);
				PreparedStatement next = connection.prepareStatement(nextKeys);
				PreparedStatement update = connection.prepareStatement(BenchTable.UPDATE_RANGE);
				PreparedStatement record = connection.prepareStatement(checkpoint)) {
			connection.setAutoCommit(false);
			long start = System.nanoTime();
			long previousCommit = start;
			long changed = 0;
			Long last = null;
			while (true) {
				long t0 = System.nanoTime();
				PreparedStatement keys = (last != null) ? next : first;
				if (last != null) {
					keys.setLong(1, last);
				}
				List<Long> ids;
				try (ResultSet rows = keys.executeQuery()) {
					ids = read(rows);
				}
				if (ids.isEmpty()) {
					connection.commit();
					return new Result(changed, System.nanoTime() - start, toArray(batches), steps.toMap());
				}
				long t1 = System.nanoTime();
				update.setLong(1, ids.get(0));
				update.setLong(2, ids.get(ids.size() - 1));
				int batchChanged = update.executeUpdate();
				long t2 = System.nanoTime();
				record.setString(1, String.valueOf(ids.get(ids.size() - 1)));
				record.setLong(2, ids.size());
				record.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
				record.setString(4, "backfill");
				if (record.executeUpdate() != 1) {
					throw new IllegalStateException("checkpoint row is missing");
				}
				long t3 = System.nanoTime();
				connection.commit();
				long t4 = System.nanoTime();
				steps.add(t1 - t0, t2 - t1, t3 - t2, t4 - t3);
				if (last != null) {
					// like the starter's batch time: from the previous batch's commit to this one's
					batches.add(t4 - previousCommit);
				}
				previousCommit = t4;
				changed += batchChanged;
				last = ids.get(ids.size() - 1);
			}
		}
	}

	/**
	 * (f) The statements of (c) with one round trip a batch, the fewest a client can send: a batch's
	 * update, its checkpoint row with {@code set local synchronous_commit = off}, the commit, and the next
	 * batch's key select go as one string. It shows what the round trips of (b) and (c) cost.
	 * @param dataSource the benchmark schema
	 * @param size keys per batch
	 * @return the result, with the time of each batch
	 */
	static Result oneRoundTripLoop(DataSource dataSource, int size) throws SQLException {
		String nextKeys = "select id from " + BenchTable.NAME
				+ " where (purpose is null) and id > %d order by id limit " + size;
		List<Long> batches = new ArrayList<>();
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(true);
			long start = System.nanoTime();
			Long previousCommit = null;
			long changed = 0;
			List<Long> ids = keys(statement, String.format(Locale.ROOT, nextKeys, Long.MIN_VALUE));
			while (!ids.isEmpty()) {
				long last = ids.get(ids.size() - 1);
				String batch = "begin; " + BenchTable.UPDATE_ALL + " and id between " + ids.get(0) + " and " + last
						+ "; update bench_checkpoint set checkpoint = '" + last + "', records_processed = "
						+ "records_processed + " + ids.size() + ", batches_done = batches_done + 1, updated_at = "
						+ "localtimestamp where name = 'backfill'; set local synchronous_commit = off; commit; "
						+ String.format(Locale.ROOT, nextKeys, last);
				List<Integer> counts = new ArrayList<>();
				for (boolean rows = statement.execute(batch);; rows = statement.getMoreResults()) {
					if (rows) {
						try (ResultSet next = statement.getResultSet()) {
							ids = read(next);
						}
					}
					else if (statement.getUpdateCount() != -1) {
						counts.add(statement.getUpdateCount());
					}
					else {
						break;
					}
				}
				long committed = System.nanoTime();
				if (previousCommit != null) {
					batches.add(committed - previousCommit);
				}
				previousCommit = committed;
				// begin, the range update, the checkpoint, set, commit
				if (counts.get(2) != 1) {
					throw new IllegalStateException("checkpoint row is missing");
				}
				changed += counts.get(1);
			}
			return new Result(changed, System.nanoTime() - start, toArray(batches));
		}
	}

	private static List<Long> keys(Statement statement, String select) throws SQLException {
		try (ResultSet rows = statement.executeQuery(select)) {
			return read(rows);
		}
	}

	private static List<Long> read(ResultSet rows) throws SQLException {
		List<Long> ids = new ArrayList<>();
		while (rows.next()) {
			ids.add(rows.getLong(1));
		}
		return ids;
	}

	/**
	 * (e) The loop of (c) as a PL/pgSQL procedure: the same statements and commits, without a client
	 * between them, so that what (c) adds to it is the cost of its round trips and its own work.
	 * @param dataSource the benchmark schema
	 * @param size keys per batch
	 * @return the result (no batch times: the procedure runs as one call)
	 */
	static Result serverLoop(DataSource dataSource, int size) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(true);
			statement.execute("""
					create or replace procedure bench_walk(size int, inout changed bigint) language plpgsql as $$
					declare
						last_key bigint := -9223372036854775808;
						batch_first bigint;
						batch_last bigint;
						batch_count int;
						batch_changed bigint;
					begin
						changed := 0;
						loop
							select min(id), max(id), count(*) into batch_first, batch_last, batch_count
							from (select id from %s where (purpose is null) and id > last_key
								order by id limit size) batch;
							exit when batch_count = 0;
							%s and id between batch_first and batch_last;
							get diagnostics batch_changed = row_count;
							update bench_checkpoint set checkpoint = batch_last::text,
								records_processed = records_processed + batch_count, batches_done = batches_done + 1,
								updated_at = localtimestamp where name = 'backfill';
							set local synchronous_commit = off;
							changed := changed + batch_changed;
							last_key := batch_last;
							commit;
						end loop;
					end $$""".formatted(BenchTable.NAME, BenchTable.UPDATE_ALL));
			long start = System.nanoTime();
			try (ResultSet result = statement.executeQuery("call bench_walk(" + size + ", 0)")) {
				result.next();
				return new Result(result.getLong(1), System.nanoTime() - start, new long[0]);
			}
		}
	}

	static long[] toArray(List<Long> values) {
		return values.stream().mapToLong(Long::longValue).toArray();
	}

	/**
	 * Durations of the named steps of each batch.
	 */
	private static final class Steps {

		private final String[] names;

		private final List<long[]> values = new ArrayList<>();

		Steps(String... names) {
			this.names = names;
		}

		void add(long... nanos) {
			this.values.add(nanos);
		}

		Map<String, long[]> toMap() {
			Map<String, long[]> map = new LinkedHashMap<>();
			for (int i = 0; i < this.names.length; i++) {
				int step = i;
				map.put(this.names[i], this.values.stream().mapToLong((v) -> v[step]).toArray());
			}
			return map;
		}

	}

}
