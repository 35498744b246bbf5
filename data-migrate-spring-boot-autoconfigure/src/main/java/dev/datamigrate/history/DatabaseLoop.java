package dev.datamigrate.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs a {@link BatchLoop} on PostgreSQL as one {@code DO} block: a PL/pgSQL loop that commits each batch
 * on its own and reports it with a notice, which PgJDBC hands back as a warning of the statement.
 */
final class DatabaseLoop {

	/**
	 * The SQLSTATE the block raises when the history row is no longer the run's: the batch rolls back.
	 */
	static final String LOST_OWNERSHIP = "DMOWN";

	private static final String BATCH = "dm_batch ";

	private static final String WALKED = "dm_walked";

	private DatabaseLoop() {
	}

	/**
	 * Run the loop in auto-commit mode, whatever the pool's default, and report each batch it committed,
	 * those before a failure included.
	 * @return whether the walk has run out of keys
	 * @throws SQLException when the block failed: its batch rolled back, those before it stay committed
	 */
	static boolean run(Connection connection, BatchLoop loop, String recordSql, boolean asynchronousCommit,
			Consumer<LoopedBatch> committed) throws SQLException {
		String block = block(loop, connection.nativeSQL(loop.keyRead()), connection.nativeSQL(loop.work().sql()), recordSql,
				asynchronousCommit);
		boolean pooledWithoutAutoCommit = !connection.getAutoCommit();
		if (pooledWithoutAutoCommit) {
			connection.setAutoCommit(true);
		}
		try (Statement statement = connection.createStatement()) {
			try {
				statement.execute(block);
			}
			finally {
				// a failed block's batches before the failure have committed, and are reported first
				report(statement.getWarnings(), committed);
			}
			return walked(statement.getWarnings());
		}
		finally {
			if (pooledWithoutAutoCommit && !connection.isClosed()) {
				connection.setAutoCommit(false);
			}
		}
	}

	/**
	 * The block. It declares its own variables, prefixed {@code dm_}, and runs the key read and the work as
	 * dynamic SQL, so that neither can mistake a column for one of them; the history record is written with
	 * the run's clock, as the runner writes it, moved on by the database's.
	 */
	private static String block(BatchLoop loop, String keyRead, String work, String recordSql,
			boolean asynchronousCommit) {
		String settings = "perform set_config('client_min_messages', 'notice', true)"
				+ (asynchronousCommit ? ", set_config('synchronous_commit', 'off', true)" : "") + ";\n";
		String workKeys = loop.workKeys().stream().map((key) -> "dm_" + key).collect(Collectors.joining(", "));
		String body = "declare\n" //
				+ "  dm_after " + loop.keyType() + " := " + loop.after() + ";\n" //
				+ "  dm_first " + loop.keyType() + ";\n" //
				+ "  dm_last " + loop.keyType() + ";\n" //
				+ "  dm_size bigint;\n" //
				+ "  dm_changed bigint;\n" //
				+ "  dm_recorded bigint;\n" //
				+ "  dm_number bigint := " + (loop.number() - 1) + ";\n" //
				+ "  dm_started timestamptz := clock_timestamp();\n" //
				+ "  dm_sent timestamptz := " + literal(Instant.now().toString()) + ";\n" //
				+ "begin\n" //
				+ "  " + settings //
				+ "  loop\n" //
				+ "    execute " + literal(keyRead) + " into dm_first, dm_last, dm_size using dm_after;\n" //
				+ "    if dm_size = 0 then\n" //
				+ "      raise notice '" + WALKED + "';\n" //
				+ "      exit;\n" //
				+ "    end if;\n" //
				+ "    " + recordSql + ";\n" //
				+ "    get diagnostics dm_recorded = row_count;\n" //
				+ "    if dm_recorded <> 1 then\n" //
				+ "      raise exception 'The run no longer owns the data migration' using errcode = '"
				+ LOST_OWNERSHIP + "';\n" //
				+ "    end if;\n" //
				+ "    execute " + literal(work) + " using " + workKeys + ";\n" //
				+ "    get diagnostics dm_changed = row_count;\n" //
				+ "    commit;\n" //
				+ "    " + settings //
				+ "    dm_number := dm_number + 1;\n" //
				+ "    raise notice '" + BATCH + "% % % % %', dm_number, dm_size, dm_last, dm_changed, "
				+ "(extract(epoch from clock_timestamp()) * 1000000)::bigint;\n" //
				+ "    dm_after := dm_last;\n" //
				+ "    exit when clock_timestamp() - dm_started >= interval '" + loop.budget().toMillis()
				+ " milliseconds';\n" //
				+ "  end loop;\n" //
				+ "end\n";
		String tag = dollarTag(body);
		return "do " + tag + "\n" + body + tag;
	}

	/**
	 * The history record of a batch as the block writes it, for a history table and a run.
	 */
	static String recordSql(String table, String version, String ownerToken) {
		return "update " + table + " set checkpoint = dm_last::text, records_processed = records_processed + dm_size, "
				+ "batches_done = batches_done + 1, updated_at = dm_sent + (clock_timestamp() - dm_started) "
				+ "where version = " + literal(version) + " and owner_token = " + literal(ownerToken)
				+ " and status = 'RUNNING'";
	}

	/**
	 * A string constant that reads the same whatever {@code standard_conforming_strings} says.
	 */
	static String literal(String value) {
		return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
	}

	private static String dollarTag(String body) {
		String tag = "$dm$";
		for (int i = 0; body.contains(tag); i++) {
			tag = "$dm" + i + "$";
		}
		return tag;
	}

	private static void report(SQLWarning warnings, Consumer<LoopedBatch> committed) {
		for (SQLWarning warning = warnings; warning != null; warning = warning.getNextWarning()) {
			String message = warning.getMessage();
			if (message != null && message.startsWith(BATCH)) {
				String[] fields = message.substring(BATCH.length()).split(" ");
				long micros = Long.parseLong(fields[4]);
				committed.accept(new LoopedBatch(Long.parseLong(fields[0]), Integer.parseInt(fields[1]), fields[2],
						Long.parseLong(fields[3]), Instant.EPOCH.plusNanos(micros * 1000)));
			}
		}
	}

	private static boolean walked(SQLWarning warnings) {
		for (SQLWarning warning = warnings; warning != null; warning = warning.getNextWarning()) {
			if (WALKED.equals(warning.getMessage())) {
				return true;
			}
		}
		return false;
	}

}
