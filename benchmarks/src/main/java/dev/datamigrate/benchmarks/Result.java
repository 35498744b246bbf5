package dev.datamigrate.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * What one measured run of one way did.
 *
 * @param rowsChanged rows the way changed
 * @param nanos wall time of the measured work
 * @param batchNanos time of each batch but the first, from the previous batch's commit to its own (empty
 * for a single statement)
 * @param batchRows rows of each batch (empty where the way does not say)
 * @param cpuNanos CPU time of the benchmark's thread during the measured work (the JVM side only)
 */
public record Result(long rowsChanged, long nanos, long[] batchNanos, long[] batchRows, long cpuNanos) {

	public Result(long rowsChanged, long nanos, long[] batchNanos) {
		this(rowsChanged, nanos, batchNanos, new long[0], 0);
	}

	public Result(long rowsChanged, long nanos, long[] batchNanos, long[] batchRows) {
		this(rowsChanged, nanos, batchNanos, batchRows, 0);
	}

	Result withCpuNanos(long cpuNanos) {
		return new Result(this.rowsChanged, this.nanos, this.batchNanos, this.batchRows, cpuNanos);
	}

	public double rowsPerSecond() {
		return this.rowsChanged * 1e9 / this.nanos;
	}

	/**
	 * The median of several rounds of one way: rows per second of the median round, the median of the
	 * rounds' CPU times (taken apart: the JIT makes early rounds cost more CPU whatever their wall time),
	 * batch times and sizes of all rounds together.
	 * @param rounds the rounds
	 * @return the summary
	 */
	static Result median(List<Result> rounds) {
		List<Result> sorted = rounds.stream()
			.sorted((a, b) -> Double.compare(a.rowsPerSecond(), b.rowsPerSecond()))
			.toList();
		Result middle = sorted.get(sorted.size() / 2);
		long[] batches = rounds.stream().flatMapToLong((r) -> Arrays.stream(r.batchNanos())).toArray();
		long[] rows = rounds.stream().flatMapToLong((r) -> Arrays.stream(r.batchRows())).toArray();
		long[] cpu = rounds.stream().mapToLong(Result::cpuNanos).sorted().toArray();
		return new Result(middle.rowsChanged(), middle.nanos(), batches, rows, cpu[cpu.length / 2]);
	}

	/**
	 * A percentile (nearest rank) of some values.
	 * @param values the values
	 * @param percentile 50 for the median, 99 for the 99th percentile, 100 for the largest
	 * @return the value, or NaN when there are none
	 */
	public static double percentile(long[] values, double percentile) {
		if (values.length == 0) {
			return Double.NaN;
		}
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
		return sorted[Math.max(0, rank - 1)];
	}

	/**
	 * A percentile (nearest rank) of some durations, in milliseconds.
	 * @param nanos the durations
	 * @param percentile 50 for the median, 99 for the 99th percentile
	 * @return milliseconds, or NaN when there are none
	 */
	public static double percentileMillis(long[] nanos, double percentile) {
		return percentile(nanos, percentile) / 1e6;
	}

}
