package dev.datamigrate.throttle;

import java.time.Duration;
import java.util.List;

import dev.datamigrate.Throttle;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;

/**
 * Holds a walk while an active logical replication slot (change data capture, a logical replica) has
 * confirmed less than the WAL of {@code data-migrate.throttle.max-slot-lag} behind the primary's position:
 * its consumer falls behind, and the primary keeps that WAL on disk until it catches up.
 */
final class PostgresSlotLag implements Throttle {

	static final String NAME = "PostgreSQL logical slot lag";

	private final JdbcTemplate jdbc;

	private final long maxBytes;

	private final Duration backoff;

	PostgresSlotLag(JdbcTemplate jdbc, long maxBytes, Duration backoff) {
		this.jdbc = jdbc;
		this.maxBytes = maxBytes;
		this.backoff = backoff;
	}

	@Override
	public Decision check(Context context) {
		List<Lag> lags = this.jdbc.query("select slot_name, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) "
				+ "from pg_replication_slots where active and slot_type = 'logical' and confirmed_flush_lsn is not null "
				+ "order by 2 desc limit 1", (rs, row) -> new Lag(rs.getString(1), rs.getLong(2)));
		if (lags.isEmpty() || lags.get(0).bytes() <= this.maxBytes) {
			return Decision.proceed();
		}
		Lag lag = lags.get(0);
		return Decision.backOff(this.backoff, String.format("logical replication slot '%s' is %.1fMB behind, above "
				+ "data-migrate.throttle.max-slot-lag (%dMB)", lag.slot(), lag.bytes() / 1048576.0,
				DataSize.ofBytes(this.maxBytes).toMegabytes()));
	}

	private record Lag(String slot, long bytes) {
	}

}
