package dev.datamigrate.benchmarks;

import java.util.List;

import dev.datamigrate.benchmarks.parallel.ParallelApplication.JvmFigures;

/**
 * One way of the parallel-walk benchmark, as measured: the history's figures, the ranges table's, and
 * what each JVM's workers did.
 *
 * @param way what the report calls it
 * @param jvms JVMs started at once
 * @param workers {@code parallel(workers)} in each JVM, 0 for the plain walk
 * @param rows rows of the table (all of them match the walk)
 * @param durationMillis the history's {@code duration_ms}: from the migration's start to SUCCEEDED
 * @param startedMillis the history's {@code started_at}, epoch ms
 * @param jvmFigures what each JVM's workers did, in the order the JVMs were started
 * @param ranges how many ranges the walk was split into, 0 for the plain walk
 * @param owners the ranges each instance worked, by the ranges table's {@code executed_by}
 * @param lead the instance that ran the migration (split the keys and finished it), the history's
 * {@code executed_by}
 */
record ParallelRun(String way, int jvms, int workers, long rows, long durationMillis, long startedMillis,
		List<JvmFigures> jvmFigures, int ranges, List<Owner> owners, String lead) {

	double seconds() {
		return this.durationMillis / 1000.0;
	}

	double rowsPerSecond() {
		return this.rows * 1000.0 / this.durationMillis;
	}

	/** Workers in all JVMs; the plain walk has one. */
	int totalWorkers() {
		return this.jvms * Math.max(1, this.workers);
	}

	/**
	 * Share of the workers' time (all workers, from the migration's start to SUCCEEDED) spent in batch
	 * transactions, as the runner timed them; the rest went to claiming ranges, joining late, waiting.
	 */
	double busyShare() {
		long nanos = this.jvmFigures.stream().mapToLong(JvmFigures::transactionNanos).sum();
		return nanos / (this.totalWorkers() * this.durationMillis * 1e6);
	}

	/** Share of the batch transactions' time spent in the handler (sleep and update), 0 for {@code update(sql)}. */
	double handlerShare() {
		long handler = this.jvmFigures.stream().mapToLong(JvmFigures::handlerNanos).sum();
		long transactions = this.jvmFigures.stream().mapToLong(JvmFigures::transactionNanos).sum();
		return (transactions > 0) ? (double) handler / transactions : 0;
	}

	/** From the migration's start to each JVM's first batch, in ms; {@code null} for a JVM that ran none. */
	List<Long> firstBatchMillis() {
		return this.jvmFigures.stream()
			.map((jvm) -> (jvm.batches() > 0) ? jvm.firstStartMillis() - this.startedMillis : null)
			.toList();
	}

	/** From each JVM's last commit to SUCCEEDED, in ms; {@code null} for a JVM that ran no batch. */
	List<Long> tailMillis() {
		return this.jvmFigures.stream()
			.map((jvm) -> (jvm.batches() > 0) ? this.startedMillis + this.durationMillis - jvm.lastCommitMillis() : null)
			.toList();
	}

	/** Whether the JVM of these figures ran the migration. */
	boolean isLead(JvmFigures jvm) {
		return this.lead != null && this.lead.endsWith(":" + jvm.pid());
	}

	long batches() {
		return this.jvmFigures.stream().mapToLong(JvmFigures::batches).sum();
	}

	/** Mean rows a batch. */
	double rowsPerBatch() {
		return (double) this.rows / Math.max(1, batches());
	}

	/**
	 * The ranges one instance worked.
	 *
	 * @param instance its {@code executed_by}
	 * @param ranges how many ranges
	 * @param records their records processed
	 */
	record Owner(String instance, int ranges, long records) {
	}

}
