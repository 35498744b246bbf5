package dev.datamigrate.throttle;

import java.time.Duration;

import dev.datamigrate.Throttle;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Holds a walk while more than {@code data-migrate.throttle.max-threads-running} statements run on the
 * server at once ({@code Threads_running}, which counts the check's own), the load at which the
 * application's queries start to queue.
 */
final class MariaDbThreadsRunning implements Throttle {

	static final String NAME = "MariaDB/MySQL Threads_running";

	private final JdbcTemplate jdbc;

	private final int max;

	private final Duration backoff;

	MariaDbThreadsRunning(JdbcTemplate jdbc, int max, Duration backoff) {
		this.jdbc = jdbc;
		this.max = max;
		this.backoff = backoff;
	}

	@Override
	public Decision check(Context context) {
		@Nullable Integer running = this.jdbc.queryForObject("show global status like 'Threads_running'",
				(rs, row) -> rs.getInt(2));
		if (running == null || running <= this.max) {
			return Decision.proceed();
		}
		return Decision.backOff(this.backoff, "Threads_running is " + running
				+ ", above data-migrate.throttle.max-threads-running (" + this.max + ")");
	}

}
