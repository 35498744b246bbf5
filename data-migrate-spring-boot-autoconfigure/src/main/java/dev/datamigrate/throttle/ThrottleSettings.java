package dev.datamigrate.throttle;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

/**
 * The built-in database checks as configured under {@code data-migrate.throttle}; a limit of 0 turns its
 * check off.
 *
 * @param enabled whether the built-in checks run at all
 * @param interval the shortest time between two rounds of checks of a walk, and the wait while held
 * @param maxReplicationLag the largest replica lag a walk runs beside
 * @param maxSlotLagBytes the largest lag in bytes of an active logical replication slot (PostgreSQL)
 * @param wraparoundVacuum whether an anti-wraparound autovacuum of the walked table holds the walk (PostgreSQL)
 * @param maxThreadsRunning the largest {@code Threads_running} a walk runs beside (MariaDB/MySQL)
 * @param replicas replicas whose lag is read, by bean name (MariaDB/MySQL)
 */
public record ThrottleSettings(boolean enabled, Duration interval, Duration maxReplicationLag, long maxSlotLagBytes,
		boolean wraparoundVacuum, int maxThreadsRunning, Map<String, DataSource> replicas) {

	/**
	 * How long a built-in check holds a walk before it is asked again.
	 * @return the backoff
	 */
	Duration backoff() {
		return this.interval;
	}

}
