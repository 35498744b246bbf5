package dev.datamigrate.batch;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.datamigrate.history.RangeTable;

import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.TaskScheduler;

/**
 * What the parallel walks of an instance share: the range table, the threads of their workers, where
 * the workers' leases are renewed, and which migrations this instance walks now.
 *
 * @param ranges the range table
 * @param threads where each worker runs, on a thread of its own
 * @param leases where the workers' leases on their ranges are renewed
 * @param leaseDuration how long a worker's lease lasts without renewal
 * @param executedBy this instance's host and process
 * @param walking the walks this instance works on now, by migration version: whether it runs the
 * migration, joins it, or both (it joined, then took the migration over from an instance that died)
 */
public record ParallelWalks(RangeTable ranges, TaskExecutor threads, TaskScheduler leases, Duration leaseDuration,
		String executedBy, Map<String, Integer> walking) {

	/**
	 * The parts of an instance's parallel walks, walking none yet.
	 * @param ranges the range table
	 * @param threads where each worker runs, on a thread of its own
	 * @param leases where the workers' leases on their ranges are renewed
	 * @param leaseDuration how long a worker's lease lasts without renewal
	 * @param executedBy this instance's host and process
	 */
	public ParallelWalks(RangeTable ranges, TaskExecutor threads, TaskScheduler leases, Duration leaseDuration,
			String executedBy) {
		this(ranges, threads, leases, leaseDuration, executedBy, new ConcurrentHashMap<>());
	}

	/**
	 * Whether this instance works on a migration's walk now.
	 * @param version the migration's version
	 * @return whether it does
	 */
	public boolean isWalking(String version) {
		return this.walking.containsKey(version);
	}

	/**
	 * Start to work on a walk: always when this instance runs the migration, and only if it does not work
	 * on it yet when it joins.
	 * @return whether it works on it now
	 */
	boolean enter(String version, boolean joining) {
		if (joining) {
			return this.walking.putIfAbsent(version, 1) == null;
		}
		this.walking.merge(version, 1, Integer::sum);
		return true;
	}

	void leave(String version) {
		this.walking.computeIfPresent(version, (walked, count) -> (count > 1) ? count - 1 : null);
	}

}
