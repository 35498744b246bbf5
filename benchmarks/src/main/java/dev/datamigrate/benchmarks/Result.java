package dev.datamigrate.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one measured run of one way did.
 *
 * @param rowsChanged rows the way changed
 * @param nanos wall time of the measured work
 * @param batchNanos time of each batch, from one batch's commit to the next one's (empty for a single statement)
 * @param phaseNanos for the hand-written loop: the time of each step of each batch, by step name
 * @param cpuNanos CPU time of the benchmark's thread during the measured work (the JVM side only)
 */
public record Result(long rowsChanged, long nanos, long[] batchNanos, Map<String, long[]> phaseNanos, long cpuNanos) {

	public Result(long rowsChanged, long nanos, long[] batchNanos) {
		this(rowsChanged, nanos, batchNanos, Map.of(), 0);
	}

	public Result(long rowsChanged, long nanos, long[] batchNanos, Map<String, long[]> phaseNanos) {
		this(rowsChanged, nanos, batchNanos, phaseNanos, 0);
	}

	Result withCpuNanos(long cpuNanos) {
		return new Result(this.rowsChanged, this.nanos, this.batchNanos, this.phaseNanos, cpuNanos);
	}

	public double rowsPerSecond() {
		return this.rowsChanged * 1e9 / this.nanos;
	}

	/**
	 * The median of several rounds of one way: rows per second of the median round, the median of the
	 * rounds' CPU times (taken apart: the JIT makes early rounds cost more CPU whatever their wall time),
	 * batch and step times of all rounds together.
	 * @param rounds the rounds
	 * @return the summary
	 */
	static Result median(List<Result> rounds) {
		List<Result> sorted = rounds.stream()
			.sorted((a, b) -> Double.compare(a.rowsPerSecond(), b.rowsPerSecond()))
			.toList();
		Result middle = sorted.get(sorted.size() / 2);
		long[] batches = rounds.stream().flatMapToLong((r) -> Arrays.stream(r.batchNanos())).toArray();
		Map<String, long[]> phases = new LinkedHashMap<>();
		for (String phase : middle.phaseNanos().keySet()) {
			phases.put(phase, rounds.stream().flatMapToLong((r) -> Arrays.stream(r.phaseNanos().get(phase))).toArray());
		}
		long[] cpu = rounds.stream().mapToLong(Result::cpuNanos).sorted().toArray();
		return new Result(middle.rowsChanged(), middle.nanos(), batches, phases, cpu[cpu.length / 2]);
	}

	/**
	 * A percentile (nearest rank) of some durations, in milliseconds.
	 * @param nanos the durations
	 * @param percentile 50 for the median, 99 for the 99th percentile
	 * @return milliseconds, or NaN when there are none
	 */
	public static double percentileMillis(long[] nanos, double percentile) {
		if (nanos.length == 0) {
			return Double.NaN;
		}
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
		return sorted[Math.max(0, rank - 1)] / 1e6;
	}

}
