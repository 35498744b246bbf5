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
import java.util.Map;

import javax.sql.DataSource;

/**
 * Ways (a) and (c): one UPDATE statement, and a hand-written keyset loop with the same SQL as the starter.
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
				List<Long> ids = new ArrayList<>(size);
				try (ResultSet rows = keys.executeQuery()) {
					while (rows.next()) {
						ids.add(rows.getLong(1));
					}
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
