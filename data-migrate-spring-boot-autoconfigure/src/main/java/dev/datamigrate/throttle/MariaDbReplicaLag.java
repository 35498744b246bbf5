package dev.datamigrate.throttle;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.datamigrate.Throttle;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Holds a walk while a replica the application names in {@code data-migrate.throttle.replicas} is more
 * than {@code data-migrate.throttle.max-replication-lag} behind, by {@code Seconds_Behind_Master}
 * (MariaDB) or {@code Seconds_Behind_Source} (MySQL) of {@code SHOW REPLICA STATUS}; a replica whose
 * replication is stopped holds it too, since it falls further behind with every batch.
 */
final class MariaDbReplicaLag implements Throttle {

	static final String NAME = "MariaDB/MySQL replica lag";

	private final String name;

	private final JdbcTemplate replica;

	private final Duration max;

	private final Duration backoff;

	MariaDbReplicaLag(String name, JdbcTemplate replica, Duration max, Duration backoff) {
		this.name = name;
		this.replica = replica;
		this.max = max;
		this.backoff = backoff;
	}

	@Override
	public Decision check(Context context) {
		List<Map<String, Object>> status = this.replica.queryForList("show replica status");
		if (status.isEmpty()) {
			throw new IllegalStateException("data source '" + this.name + "' of data-migrate.throttle.replicas "
					+ "is not a replica (SHOW REPLICA STATUS is empty), or its user lacks the privilege "
					+ "REPLICA MONITOR (MariaDB) or REPLICATION CLIENT (MySQL)");
		}
		Map<String, Object> row = status.get(0);
		Object behind = row.get(row.containsKey("Seconds_Behind_Master") ? "Seconds_Behind_Master" : "Seconds_Behind_Source");
		if (behind == null) {
			return Decision.backOff(this.backoff, "replication of replica '" + this.name + "' is stopped");
		}
		long seconds = ((Number) behind).longValue();
		if (seconds * 1000 <= this.max.toMillis()) {
			return Decision.proceed();
		}
		return Decision.backOff(this.backoff, "replica '" + this.name + "' is " + seconds
				+ "s behind, above data-migrate.throttle.max-replication-lag (" + this.max + ")");
	}

}
