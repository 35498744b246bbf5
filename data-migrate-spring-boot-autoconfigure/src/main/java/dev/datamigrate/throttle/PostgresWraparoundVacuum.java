package dev.datamigrate.throttle;

import java.time.Duration;

import dev.datamigrate.Throttle;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Holds a walk while an autovacuum that prevents transaction ID wraparound works on the walked table:
 * such a vacuum cannot be cancelled, and the walk's new row versions would only add to its work.
 */
final class PostgresWraparoundVacuum implements Throttle {

	static final String NAME = "PostgreSQL anti-wraparound vacuum";

	private final JdbcTemplate jdbc;

	private final PostgresStatsRight right;

	private final Duration backoff;

	PostgresWraparoundVacuum(JdbcTemplate jdbc, PostgresStatsRight right, Duration backoff) {
		this.jdbc = jdbc;
		this.right = right;
		this.backoff = backoff;
	}

	@Override
	public Decision check(Context context) {
		this.right.require(NAME);
		@Nullable Integer vacuums = this.jdbc.queryForObject("select count(*) from pg_stat_progress_vacuum v "
				+ "join pg_stat_activity a on a.pid = v.pid where v.relid = to_regclass(?) "
				+ "and a.query like 'autovacuum:%(to prevent wraparound)'", Integer.class, context.table());
		if (vacuums == null || vacuums == 0) {
			return Decision.proceed();
		}
		return Decision.backOff(this.backoff, "an anti-wraparound autovacuum works on " + context.table());
	}

}
