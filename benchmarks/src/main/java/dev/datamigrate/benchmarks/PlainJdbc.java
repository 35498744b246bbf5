package dev.datamigrate.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Ways (a) and (c): one UPDATE statement, and a hand-written keyset loop.
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
	 * (c) The loop a careful developer would write by hand: select the next keys after the last one,
	 * update that key range, write a checkpoint row and, in the same round trip, let the transaction
	 * commit without waiting for the disk flush, commit. Four round trips a batch.
	 * @param dataSource the benchmark schema
	 * @param size keys per batch
	 * @return the result, with the time and rows of each batch
	 */
	static Result keysetLoop(DataSource dataSource, int size) throws SQLException {
		String firstKeys = "select id from " + BenchTable.NAME + " where (purpose is null) order by id limit " + size;
		String nextKeys = "select id from " + BenchTable.NAME + " where (purpose is null) and id > ? order by id limit " + size;
		String checkpoint = "update bench_checkpoint set checkpoint = ?, records_processed = records_processed + ?, "
				+ "batches_done = batches_done + 1, updated_at = ? where name = ?; set local synchronous_commit = off";
		List<Long> batches = new ArrayList<>();
		List<Long> rows = new ArrayList<>();
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
				PreparedStatement keys = (last != null) ? next : first;
				if (last != null) {
					keys.setLong(1, last);
				}
				List<Long> ids = new ArrayList<>();
				try (ResultSet result = keys.executeQuery()) {
					while (result.next()) {
						ids.add(result.getLong(1));
					}
				}
				if (ids.isEmpty()) {
					connection.commit();
					return new Result(changed, System.nanoTime() - start, toArray(batches), toArray(rows));
				}
				update.setLong(1, ids.get(0));
				update.setLong(2, ids.get(ids.size() - 1));
				int batchChanged = update.executeUpdate();
				record.setString(1, String.valueOf(ids.get(ids.size() - 1)));
				record.setLong(2, ids.size());
				record.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
				record.setString(4, "backfill");
				if (record.executeUpdate() != 1) {
					throw new IllegalStateException("checkpoint row is missing");
				}
				connection.commit();
				long committed = System.nanoTime();
				if (last != null) {
					// like the starter's batch time: from the previous batch's commit to this one's
					batches.add(committed - previousCommit);
				}
				previousCommit = committed;
				rows.add((long) ids.size());
				changed += batchChanged;
				last = ids.get(ids.size() - 1);
			}
		}
	}

	static long[] toArray(List<Long> values) {
		return values.stream().mapToLong(Long::longValue).toArray();
	}

}
