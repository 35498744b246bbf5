package dev.datamigrate.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of data migrations.
 */
@ConfigurationProperties("data-migrate")
public class DataMigrateProperties {

	/**
	 * Whether to enable data migrations.
	 */
	private boolean enabled = true;

	/**
	 * What to do with pending data migrations when the application starts.
	 */
	private OnStartup onStartup = OnStartup.RUN;

	/**
	 * Name of the history table, optionally qualified by a schema.
	 */
	private String tableName = "data_migrations";

	/**
	 * Whether a FAILED migration is retried automatically at the next run.
	 */
	private boolean retryFailed;

	/**
	 * Version up to which migrations are recorded as BASELINE, without running, on a database with no
	 * history.
	 */
	private String baselineVersion;

	private final Lock lock = new Lock();

	private final Batch batch = new Batch();

	private final Liquibase liquibase = new Liquibase();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public OnStartup getOnStartup() {
		return this.onStartup;
	}

	public void setOnStartup(OnStartup onStartup) {
		this.onStartup = onStartup;
	}

	public String getTableName() {
		return this.tableName;
	}

	public void setTableName(String tableName) {
		this.tableName = tableName;
	}

	public boolean isRetryFailed() {
		return this.retryFailed;
	}

	public void setRetryFailed(boolean retryFailed) {
		this.retryFailed = retryFailed;
	}

	public String getBaselineVersion() {
		return this.baselineVersion;
	}

	public void setBaselineVersion(String baselineVersion) {
		this.baselineVersion = baselineVersion;
	}

	public Lock getLock() {
		return this.lock;
	}

	public Batch getBatch() {
		return this.batch;
	}

	public Liquibase getLiquibase() {
		return this.liquibase;
	}

	/**
	 * What to do with pending data migrations when the application starts.
	 */
	public enum OnStartup {

		/**
		 * Run them before the application is ready, after Liquibase or Flyway; a failure fails startup.
		 */
		RUN,

		/**
		 * Run them on a thread of their own once the application is ready.
		 */
		BACKGROUND,

		/**
		 * Run nothing at startup; run them later through the endpoint or the DataMigrations bean.
		 */
		SKIP,

		/**
		 * Run them, then exit: 0 when nothing is left pending, 1 when a migration failed or the queue is
		 * halted, 2 when the lock could not be had.
		 */
		RUN_AND_EXIT,

		/**
		 * Print what is pending, run nothing, and exit with 0.
		 */
		PLAN

	}

	public static class Lock {

		/**
		 * How long a run waits while another instance holds the lock.
		 */
		private Duration waitTimeout = Duration.ofMinutes(10);

		/**
		 * How long a lease lasts without a heartbeat, on databases locked by a lease row (not PostgreSQL,
		 * MariaDB or MySQL).
		 */
		private Duration leaseDuration = Duration.ofSeconds(30);

		public Duration getWaitTimeout() {
			return this.waitTimeout;
		}

		public void setWaitTimeout(Duration waitTimeout) {
			this.waitTimeout = waitTimeout;
		}

		public Duration getLeaseDuration() {
			return this.leaseDuration;
		}

		public void setLeaseDuration(Duration leaseDuration) {
			this.leaseDuration = leaseDuration;
		}

	}

	public static class Batch {

		/**
		 * Default number of keys per batch.
		 */
		private int size = 1000;

		/**
		 * Pause between batches, to throttle a backfill.
		 */
		private Duration pause = Duration.ZERO;

		/**
		 * Whether each batch's commit waits until the database has flushed it to disk. By default it
		 * does not (PostgreSQL only, ignored elsewhere): a batch commits together with its checkpoint, so
		 * a crash of the database server that loses the batches committed in its last moment loses
		 * their checkpoints too, and they run again. The record of a finished migration is always
		 * flushed, and every batch before it with it.
		 */
		private boolean synchronousCommit;

		/**
		 * Whether a walk reads the next batch's keys on a second pooled connection while the current
		 * batch runs, so that the database selects them during the batch's update rather than after it.
		 * A batch's keys are then read before the previous batch commits. Switch it off where the
		 * DataSource depends on the calling thread, or to keep a walk to one connection. A walk by
		 * update(sql) on PostgreSQL with PgJDBC reads them, from its second batch on, in the database's
		 * loop, or without it in each batch's own round trip.
		 */
		private boolean readAhead = true;

		/**
		 * Whether a walk by update(sql) on PostgreSQL with PgJDBC lets the database run its batches from
		 * the second on: one DO block runs batches for about half a second, each committing alone with its
		 * checkpoint, guarded by the run's owner token, so that a batch costs no round trip. A pause or a
		 * takeover stops the next batch; a shutdown waits for the block, and batch events are logged when
		 * it returns.
		 * Only on PostgreSQL 11 or later, for a statement that binds no more than :first and :last and has
		 * no ';' or '?', with no pause between batches. Where the database cannot run the block, the walk
		 * logs a WARN and goes on without it. Switch it off where DO blocks are not allowed.
		 */
		private boolean inDatabase = true;

		public int getSize() {
			return this.size;
		}

		public void setSize(int size) {
			this.size = size;
		}

		public Duration getPause() {
			return this.pause;
		}

		public void setPause(Duration pause) {
			this.pause = pause;
		}

		public boolean isSynchronousCommit() {
			return this.synchronousCommit;
		}

		public void setSynchronousCommit(boolean synchronousCommit) {
			this.synchronousCommit = synchronousCommit;
		}

		public boolean isReadAhead() {
			return this.readAhead;
		}

		public void setReadAhead(boolean readAhead) {
			this.readAhead = readAhead;
		}

		public boolean isInDatabase() {
			return this.inDatabase;
		}

		public void setInDatabase(boolean inDatabase) {
			this.inDatabase = inDatabase;
		}

	}

	public static class Liquibase {

		static final String DEFAULT_POST_DEPLOY_LABEL = "post-deploy";

		/**
		 * Label of Liquibase changesets held back from the startup update and applied after the pending
		 * data migrations succeed.
		 */
		private String postDeployLabel = DEFAULT_POST_DEPLOY_LABEL;

		public String getPostDeployLabel() {
			return this.postDeployLabel;
		}

		public void setPostDeployLabel(String postDeployLabel) {
			this.postDeployLabel = postDeployLabel;
		}

	}

}
