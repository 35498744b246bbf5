package dev.datamigrate.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

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

	@NestedConfigurationProperty
	private final BatchProperties batch = new BatchProperties();

	private final Log log = new Log();

	private final Liquibase liquibase = new Liquibase();

	@NestedConfigurationProperty
	private final ThrottleProperties throttle = new ThrottleProperties();

	@NestedConfigurationProperty
	private final SchemaProperties schema = new SchemaProperties();

	@NestedConfigurationProperty
	private final PlanProperties plan = new PlanProperties();

	public ThrottleProperties getThrottle() {
		return this.throttle;
	}

	public SchemaProperties getSchema() {
		return this.schema;
	}

	public PlanProperties getPlan() {
		return this.plan;
	}

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

	public BatchProperties getBatch() {
		return this.batch;
	}

	public Log getLog() {
		return this.log;
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
		 * halted, 2 when the lock or an up-to-date schema could not be had within its wait timeout, 3 when
		 * the application failed to start.
		 */
		RUN_AND_EXIT,

		/**
		 * Print what the deploy will do (pending schema changes, data migrations and post-deploy changes),
		 * run nothing, and exit with 0 (3 when the application failed to start).
		 */
		PLAN

	}

	public static class Lock {

		/**
		 * How long a run waits while another instance holds the lock.
		 */
		private Duration waitTimeout = Duration.ofMinutes(10);

		/**
		 * How long a running migration's heartbeat lasts: after it, every instance shows the migration as
		 * interrupted. Also how long the lock lasts without renewal on databases locked by a lease row (not
		 * PostgreSQL, MariaDB or MySQL).
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

	public static class Log {

		/**
		 * Shortest time between two INFO data_migration_batch events of a walk; every batch is logged at
		 * DEBUG.
		 */
		private Duration batchInterval = Duration.ofSeconds(5);

		public Duration getBatchInterval() {
			return this.batchInterval;
		}

		public void setBatchInterval(Duration batchInterval) {
			this.batchInterval = batchInterval;
		}

	}

	public static class Liquibase {

		static final String DEFAULT_POST_DEPLOY_LABEL = "post-deploy";

		/**
		 * Label of Liquibase changesets held back from the startup update and applied after the pending
		 * data migrations succeed.
		 */
		private String postDeployLabel = DEFAULT_POST_DEPLOY_LABEL;

		/**
		 * Whether Liquibase's updates run under a lock that dies with its database session (PostgreSQL
		 * advisory lock, MariaDB/MySQL GET_LOCK) instead of its lock table, on databases that have one.
		 */
		private boolean sessionLock = true;

		public boolean isSessionLock() {
			return this.sessionLock;
		}

		public void setSessionLock(boolean sessionLock) {
			this.sessionLock = sessionLock;
		}

		public String getPostDeployLabel() {
			return this.postDeployLabel;
		}

		public void setPostDeployLabel(String postDeployLabel) {
			this.postDeployLabel = postDeployLabel;
		}

	}

}
