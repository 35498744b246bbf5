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

	/** A batch's last key, as its checkpoint, in the block. */
	static final Expression LAST_KEY = new Expression("dm_last::text");

	/** A batch's number of keys, in the block. */
	static final Expression SIZE = new Expression("dm_size");

	/** The time, by the run's clock when the block was sent, moved on by the database's, in the block. */
	static final Expression NOW = new Expression("dm_sent + (clock_timestamp() - dm_started)");

	/** The SQLSTATE of a batch's notice, so that no other notice is taken for one. */
	private static final String BATCH = "DMBAT";

	/** The SQLSTATE of the notice that the walk has run out of keys. */
	private static final String WALKED = "DMEND";

	private DatabaseLoop() {
	}

	/**
	 * Run the loop on a connection in auto-commit mode, and report each batch it committed,
	 * those before a failure included.
	 * @param record the history record of a batch, its values plain or {@link Expression expressions} of
	 * the block
	 * @return whether the walk has run out of keys
	 * @throws SQLException when the block failed: its batch rolled back, those before it stay committed
	 */
	static boolean run(Connection connection, BatchLoop loop, BoundStatement record, boolean asynchronousCommit,
			Consumer<LoopedBatch> committed) throws SQLException {
		String block = block(loop, connection.nativeSQL(loop.keyRead()), connection.nativeSQL(loop.work().sql()),
				connection.nativeSQL(record.sql()), using(record), asynchronousCommit);
		try (Statement statement = connection.createStatement()) {
			try {
				statement.execute(block);
			}
			catch (SQLException ex) {
				// a failed block's batches before the failure have committed, and are reported first
				try {
					report(statement.getWarnings(), committed);
				}
				catch (SQLException | RuntimeException reporting) {
					ex.addSuppressed(reporting);
				}
				throw ex;
			}
			return report(statement.getWarnings(), committed);
		}
	}

	/**
	 * The block. It declares its own variables, prefixed {@code dm_}, and runs the key read, the record and
	 * the work as dynamic SQL, so that none of them can mistake a column for one of them. A session's
	 * {@code statement_timeout} or {@code transaction_timeout} would cancel the whole block, so the block
	 * starts no batch after half of it.
	 */
	private static String block(BatchLoop loop, String keyRead, String work, String record, String recordValues,
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
				+ "  dm_budget interval := interval '" + loop.budget().toMillis() + " milliseconds';\n" //
				+ "  dm_timeout text;\n" //
				+ "begin\n" //
				+ "  foreach dm_timeout in array array[current_setting('statement_timeout'), "
				+ "coalesce(current_setting('transaction_timeout', true), '0')] loop\n" //
				+ "    if dm_timeout <> '0' then\n" //
				+ "      dm_budget := least(dm_budget, dm_timeout::interval / 2);\n" //
				+ "    end if;\n" //
				+ "  end loop;\n" //
				+ "  " + settings //
				+ "  loop\n" //
				+ "    execute " + literal(keyRead) + " into dm_first, dm_last, dm_size using dm_after;\n" //
				+ "    if dm_size = 0 then\n" //
				+ "      raise notice 'walked' using errcode = '" + WALKED + "';\n" //
				+ "      exit;\n" //
				+ "    end if;\n" //
				+ "    execute " + literal(record) + " using " + recordValues + ";\n" //
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
				+ "    raise notice '% % % % %', dm_number, dm_size, dm_last, dm_changed, "
				+ "(extract(epoch from clock_timestamp()) * 1000000)::bigint using errcode = '" + BATCH + "';\n" //
				+ "    dm_after := dm_last;\n" //
				+ "    exit when clock_timestamp() - dm_started >= dm_budget;\n" //
				+ "  end loop;\n" //
				+ "end\n";
		String tag = dollarTag(body);
		return "do " + tag + "\n" + body + tag;
	}

	/**
	 * The values of a statement as the block binds them: expressions of the block as they are, others as
	 * constants.
	 */
	private static String using(BoundStatement statement) {
		return statement.args()
			.stream()
			.map((value) -> (value instanceof Expression expression) ? expression.sql() : literal(String.valueOf(value)))
			.collect(Collectors.joining(", "));
	}

	/**
	 * A string constant that reads the same whatever {@code standard_conforming_strings} says.
	 */
	private static String literal(String value) {
		return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
	}

	private static String dollarTag(String body) {
		String tag = "$dm$";
		for (int i = 0; body.contains(tag); i++) {
			tag = "$dm" + i + "$";
		}
		return tag;
	}

	/**
	 * Report the batches the block's notices tell of, in order.
	 * @return whether a notice tells that the walk has run out of keys
	 */
	private static boolean report(SQLWarning warnings, Consumer<LoopedBatch> committed) {
		boolean walked = false;
		for (SQLWarning warning = warnings; warning != null; warning = warning.getNextWarning()) {
			if (BATCH.equals(warning.getSQLState())) {
				String[] fields = warning.getMessage().split(" ");
				long micros = Long.parseLong(fields[4]);
				committed.accept(new LoopedBatch(Long.parseLong(fields[0]), Integer.parseInt(fields[1]), fields[2],
						Long.parseLong(fields[3]), Instant.EPOCH.plusNanos(micros * 1000)));
			}
			walked |= WALKED.equals(warning.getSQLState());
		}
		return walked;
	}

	/**
	 * A value of a statement that the block computes.
	 *
	 * @param sql the PL/pgSQL expression
	 */
	record Expression(String sql) {
	}

}
