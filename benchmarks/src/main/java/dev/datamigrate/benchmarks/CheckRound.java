package dev.datamigrate.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.datamigrate.Throttle;
import dev.datamigrate.database.Database;
import dev.datamigrate.throttle.ThrottleCheck;
import dev.datamigrate.throttle.ThrottleSettings;

import org.springframework.util.unit.DataSize;

/**
 * The time of one round of the built-in throttle checks at their defaults, as a walk runs it once per
 * {@code data-migrate.throttle.interval}: the direct measure of what they cost a walk, which the rows/s of
 * two ways cannot resolve below this machine's noise.
 */
final class CheckRound {

	private static final int ROUNDS = 1_000;

	private CheckRound() {
	}

	/**
	 * The median of 1,000 rounds, after 100 not timed.
	 * @param dataSource the benchmark's data source
	 * @param table the walked table
	 * @return milliseconds of one round
	 */
	static double medianMillis(DataSource dataSource, String table) throws Exception {
		ThrottleSettings defaults = new ThrottleSettings(true, Duration.ofSeconds(1), Duration.ofSeconds(10),
				DataSize.ofGigabytes(1).toBytes(), true, 50, Map.of());
		List<ThrottleCheck> checks = Database.of(dataSource).throttleChecks(dataSource, defaults);
		Throttle.Context walk = new Throttle.Context() {
			@Override
			public String version() {
				return "benchmark";
			}

			@Override
			public String table() {
				return table;
			}

			@Override
			public Duration lastBatchDuration() {
				return null;
			}
		};
		long[] nanos = new long[ROUNDS];
		for (int i = -100; i < ROUNDS; i++) {
			long start = System.nanoTime();
			for (ThrottleCheck check : checks) {
				check.throttle().check(walk);
			}
			if (i >= 0) {
				nanos[i] = System.nanoTime() - start;
			}
		}
		return Result.percentileMillis(nanos, 50);
	}

}
