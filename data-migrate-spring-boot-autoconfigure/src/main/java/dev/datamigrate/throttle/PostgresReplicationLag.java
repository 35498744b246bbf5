package dev.datamigrate.throttle;

import java.time.Duration;
import java.util.List;

import dev.datamigrate.Throttle;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Holds a walk while a streaming replica replays more than {@code data-migrate.throttle.max-replication-lag}
 * behind the primary, by the largest {@code replay_lag} of {@code pg_stat_replication}. PostgreSQL keeps
 * that lag growing while a replica's replay is stuck, and refreshes it at each of the replica's status
 * replies ({@code wal_receiver_status_interval}, 10 s by default).
 */
final class PostgresReplicationLag implements Throttle {

	static final String NAME = "PostgreSQL replication lag";

	private final JdbcTemplate jdbc;

	private final PostgresStatsRight right;

	private final Duration max;

	private final Duration backoff;

	PostgresReplicationLag(JdbcTemplate jdbc, PostgresStatsRight right, Duration max, Duration backoff) {
		this.jdbc = jdbc;
		this.right = right;
		this.max = max;
		this.backoff = backoff;
	}

	@Override
	public Decision check(Context context) {
		this.right.require(NAME);
		List<Lag> lags = this.jdbc.query("select application_name, extract(epoch from replay_lag) from "
				+ "pg_stat_replication where replay_lag is not null order by replay_lag desc limit 1",
				(rs, row) -> new Lag(rs.getString(1), rs.getDouble(2)));
		if (lags.isEmpty() || lags.get(0).seconds() * 1000 <= this.max.toMillis()) {
			return Decision.proceed();
		}
		Lag lag = lags.get(0);
		return Decision.backOff(this.backoff, String.format("replication lag of replica '%s' is %.1fs, above "
				+ "data-migrate.throttle.max-replication-lag (%s)", lag.replica(), lag.seconds(), this.max));
	}

	private record Lag(String replica, double seconds) {
	}

}
