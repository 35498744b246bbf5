package dev.datamigrate.autoconfigure;

import java.time.Duration;

/**
 * How batch walks run, under {@code data-migrate.batch}.
 */
public class BatchProperties {

	/**
	 * Workers on each instance of a walk that calls parallel() without a number.
	 */
	private int workers = 1;

	/**
	 * Whether other instances of the application join a parallel walk with workers of their own.
	 */
	private boolean joinFromOtherInstances = true;

	/**
	 * Number of keys per batch, which fixes the size; by default batches are sized by time.
	 */
	private Integer size;

	/**
	 * How long one batch should take when batches are sized by time: row locks are held about that long.
	 */
	private Duration targetDuration = Duration.ofMillis(100);

	/**
	 * Smallest number of keys of a batch sized by time.
	 */
	private int minSize = 100;

	/**
	 * Largest number of keys of a batch sized by time.
	 */
	private int maxSize = 50_000;

	/**
	 * Pause between batches, to throttle a backfill.
	 */
	private Duration pause = Duration.ZERO;

	/**
	 * Longest time a batch's statement waits for a row lock held by other work; the batch then rolls
	 * back and is tried again. PostgreSQL, MariaDB, MySQL and H2.
	 */
	private Duration lockTimeout = Duration.ofSeconds(2);

	/**
	 * Longest time a batch's statement runs; the batch then rolls back and is tried again at half its
	 * size. PostgreSQL, MariaDB, MySQL (queries only) and H2.
	 */
	private Duration statementTimeout = Duration.ofSeconds(30);

	/**
	 * Whether each batch's commit waits until the database has flushed it to disk. By default it
	 * does not (PostgreSQL only, ignored elsewhere): a batch commits together with its checkpoint, so
	 * a crash of the database server that loses the batches committed in its last moment loses
	 * their checkpoints too, and they run again. The record of a finished migration is always
	 * flushed, and every batch before it with it.
	 */
	private boolean synchronousCommit;

	private final Retry retry = new Retry();

	public int getWorkers() {
		return this.workers;
	}

	public void setWorkers(int workers) {
		this.workers = workers;
	}

	public boolean isJoinFromOtherInstances() {
		return this.joinFromOtherInstances;
	}

	public void setJoinFromOtherInstances(boolean joinFromOtherInstances) {
		this.joinFromOtherInstances = joinFromOtherInstances;
	}

	public Integer getSize() {
		return this.size;
	}

	public void setSize(Integer size) {
		this.size = size;
	}

	public Duration getTargetDuration() {
		return this.targetDuration;
	}

	public void setTargetDuration(Duration targetDuration) {
		this.targetDuration = targetDuration;
	}

	public int getMinSize() {
		return this.minSize;
	}

	public void setMinSize(int minSize) {
		this.minSize = minSize;
	}

	public int getMaxSize() {
		return this.maxSize;
	}

	public void setMaxSize(int maxSize) {
		this.maxSize = maxSize;
	}

	public Duration getPause() {
		return this.pause;
	}

	public void setPause(Duration pause) {
		this.pause = pause;
	}

	public Duration getLockTimeout() {
		return this.lockTimeout;
	}

	public void setLockTimeout(Duration lockTimeout) {
		this.lockTimeout = lockTimeout;
	}

	public Duration getStatementTimeout() {
		return this.statementTimeout;
	}

	public void setStatementTimeout(Duration statementTimeout) {
		this.statementTimeout = statementTimeout;
	}

	public boolean isSynchronousCommit() {
		return this.synchronousCommit;
	}

	public void setSynchronousCommit(boolean synchronousCommit) {
		this.synchronousCommit = synchronousCommit;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public static class Retry {

		/**
		 * Attempts of a batch that fails with a transient error (lock timeout, deadlock, serialization
		 * failure, statement timeout, lost connection), from 1 s apart doubling up to 1 min, before
		 * the migration fails.
		 */
		private int maxAttempts = 5;

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

	}

}
