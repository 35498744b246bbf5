package dev.datamigrate.throttle;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.datamigrate.history.AutoCommitDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The built-in checks of each database, as {@code data-migrate.throttle} turns them on.
 */
public final class BuiltInChecks {

	/** Seconds a check's query may take before it counts as failed, and the walk goes on. */
	private static final int QUERY_TIMEOUT_SECONDS = 2;

	private BuiltInChecks() {
	}

	/**
	 * Replication lag, logical slot lag and anti-wraparound vacuum.
	 * @param primary the application's data source
	 * @param settings the configured limits
	 * @return the checks that are on
	 */
	public static List<ThrottleCheck> postgres(DataSource primary, ThrottleSettings settings) {
		List<ThrottleCheck> checks = new ArrayList<>();
		if (!settings.enabled()) {
			return checks;
		}
		JdbcTemplate bounded = bounded(primary);
		PostgresStatsRight right = new PostgresStatsRight(bounded);
		if (!settings.maxReplicationLag().isZero()) {
			checks.add(new ThrottleCheck(PostgresReplicationLag.NAME, new PostgresReplicationLag(bounded, right,
					settings.maxReplicationLag(), settings.backoff())));
		}
		if (settings.maxSlotLagBytes() > 0) {
			checks.add(new ThrottleCheck(PostgresSlotLag.NAME,
					new PostgresSlotLag(bounded, settings.maxSlotLagBytes(), settings.backoff())));
		}
		if (settings.wraparoundVacuum()) {
			checks.add(new ThrottleCheck(PostgresWraparoundVacuum.NAME,
					new PostgresWraparoundVacuum(bounded, right, settings.backoff())));
		}
		return checks;
	}

	/**
	 * {@code Threads_running}, and the lag of the replicas the application names.
	 * @param primary the application's data source
	 * @param settings the configured limits
	 * @return the checks that are on
	 */
	public static List<ThrottleCheck> mariaDb(DataSource primary, ThrottleSettings settings) {
		List<ThrottleCheck> checks = new ArrayList<>();
		if (!settings.enabled()) {
			return checks;
		}
		if (settings.maxThreadsRunning() > 0) {
			checks.add(new ThrottleCheck(MariaDbThreadsRunning.NAME,
					new MariaDbThreadsRunning(bounded(primary), settings.maxThreadsRunning(), settings.backoff())));
		}
		if (!settings.maxReplicationLag().isZero()) {
			settings.replicas()
				.forEach((name, replica) -> checks.add(new ThrottleCheck(MariaDbReplicaLag.NAME + " of " + name,
						new MariaDbReplicaLag(name, bounded(replica), settings.maxReplicationLag(),
								settings.backoff()))));
		}
		return checks;
	}

	private static JdbcTemplate bounded(DataSource dataSource) {
		JdbcTemplate bounded = new JdbcTemplate(new AutoCommitDataSource(dataSource));
		bounded.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
		return bounded;
	}

}
