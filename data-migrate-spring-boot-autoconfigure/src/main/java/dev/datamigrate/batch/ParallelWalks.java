package dev.datamigrate.batch;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * @param walking versions of the migrations whose ranges this instance walks now, each with the flag
 * that stops that walk
 */
public record ParallelWalks(RangeTable ranges, TaskExecutor threads, TaskScheduler leases, Duration leaseDuration,
		String executedBy, Map<String, AtomicBoolean> walking) {

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

}
