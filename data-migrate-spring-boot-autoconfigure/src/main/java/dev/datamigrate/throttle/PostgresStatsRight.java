package dev.datamigrate.throttle;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Whether the application's role may read other sessions' statistics: without {@code pg_read_all_stats}
 * PostgreSQL shows it the replicas and vacuums but none of their figures, which reads as "nothing to wait
 * for".
 */
final class PostgresStatsRight {

	private final JdbcTemplate jdbc;

	private volatile @Nullable Boolean granted;

	PostgresStatsRight(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Fail unless the role has the right, read once.
	 * @param check the check that needs it, for the message
	 * @throws IllegalStateException naming the right and the grant that gives it
	 */
	void require(String check) {
		if (this.granted == null) {
			this.granted = this.jdbc.queryForObject("select pg_has_role('pg_read_all_stats', 'USAGE')", Boolean.class);
		}
		if (!this.granted) {
			throw new IllegalStateException(check + " needs the role pg_read_all_stats, which "
					+ this.jdbc.queryForObject("select current_user", String.class)
					+ " lacks: grant pg_monitor (or pg_read_all_stats) to it, or turn the check off");
		}
	}

}
