package dev.datamigrate.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import dev.datamigrate.DataMigrationException;
import dev.datamigrate.batch.BatchSettings;
import dev.datamigrate.runner.MigrationVersion;
import dev.datamigrate.runner.RunnerSettings;
import dev.datamigrate.throttle.ThrottleSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The runner's settings from the properties, checked at startup: a value out of its range stops the
 * application with a message naming the property and the range.
 */
final class RunnerSettingsValidation {

	private RunnerSettingsValidation() {
	}

	static RunnerSettings settings(DataMigrateProperties properties, String appVersion) {
		BatchProperties batch = properties.getBatch();
		if (batch.getSize() != null) {
			positive("data-migrate.batch.size", batch.getSize(), "or remove it to size batches by time");
		}
		positive("data-migrate.batch.min-size", batch.getMinSize(), "such as 100");
		positive("data-migrate.batch.max-size", batch.getMaxSize(), "such as 50000");
		if (batch.getMinSize() > batch.getMaxSize()) {
			throw invalid("data-migrate.batch.min-size (" + batch.getMinSize()
					+ ") is larger than data-migrate.batch.max-size (" + batch.getMaxSize() + ")",
					"Set data-migrate.batch.min-size to at most data-migrate.batch.max-size.");
		}
		positive("data-migrate.batch.target-duration", batch.getTargetDuration(), "such as 100ms");
		positive("data-migrate.batch.lock-timeout", batch.getLockTimeout(), "such as 2s");
		positive("data-migrate.batch.statement-timeout", batch.getStatementTimeout(), "such as 30s");
		positive("data-migrate.batch.retry.max-attempts", batch.getRetry().getMaxAttempts(),
				"1 for no retry; the default is 5");
		positive("data-migrate.batch.workers", batch.getWorkers(), "such as 4; parallel(n) in a walk sets its own");
		positive("data-migrate.log.batch-interval", properties.getLog().getBatchInterval(), "such as 5s");
		positive("data-migrate.lock.lease-duration", properties.getLock().getLeaseDuration(), "such as 30s");
		if (batch.getPause() == null || batch.getPause().isNegative()) {
			throw invalid("data-migrate.batch.pause is " + batch.getPause() + "; it must be zero or positive",
					"Set data-migrate.batch.pause to a duration of 0 or more, such as 50ms.");
		}
		Duration schemaWait = properties.getSchema().getWaitTimeout();
		if (schemaWait == null || schemaWait.isNegative()) {
			throw invalid("data-migrate.schema.wait-timeout is " + schemaWait + "; it must be zero or positive",
					"Set data-migrate.schema.wait-timeout to a duration such as 10m, or 0 to give up at once when "
							+ "schema changes are pending.");
		}
		BatchSettings batches = new BatchSettings(batch.getSize(), batch.getMinSize(), batch.getMaxSize(),
				batch.getTargetDuration(), batch.getPause(), batch.getLockTimeout(), batch.getStatementTimeout(),
				batch.getRetry().getMaxAttempts(), batch.isSynchronousCommit(), batch.getWorkers(),
				batch.isJoinFromOtherInstances());
		return new RunnerSettings(properties.getLock().getWaitTimeout(), properties.getLock().getLeaseDuration(),
				properties.isRetryFailed(), baseline(properties.getBaselineVersion()), batches,
				properties.getLog().getBatchInterval(), schemaWait, appVersion);
	}

	static ThrottleSettings throttleSettings(ThrottleProperties throttle, ListableBeanFactory beans) {
		positive("data-migrate.throttle.interval", throttle.getInterval(), "such as 1s");
		zeroOrMore("data-migrate.throttle.max-replication-lag", throttle.getMaxReplicationLag(),
				throttle.getMaxReplicationLag() == null || throttle.getMaxReplicationLag().isNegative(), "a duration such as 10s");
		zeroOrMore("data-migrate.throttle.max-slot-lag", throttle.getMaxSlotLag(),
				throttle.getMaxSlotLag() == null || throttle.getMaxSlotLag().isNegative(), "a size such as 1GB");
		zeroOrMore("data-migrate.throttle.max-threads-running", throttle.getMaxThreadsRunning(),
				throttle.getMaxThreadsRunning() < 0, "a number such as 50");
		Map<String, DataSource> replicas = new LinkedHashMap<>();
		for (String name : throttle.getReplicas()) {
			if (!beans.containsBean(name) || !beans.isTypeMatch(name, DataSource.class)) {
				throw invalid("data-migrate.throttle.replicas names '" + name + "', which is no DataSource bean",
						"Name the DataSource beans of the replicas in data-migrate.throttle.replicas, or remove '"
								+ name + "' from it.");
			}
			replicas.put(name, beans.getBean(name, DataSource.class));
		}
		return new ThrottleSettings(throttle.isEnabled(), throttle.getInterval(), throttle.getMaxReplicationLag(),
				throttle.getMaxSlotLag().toBytes(), throttle.isWraparoundVacuum(), throttle.getMaxThreadsRunning(),
				replicas);
	}

	private static void zeroOrMore(String property, Object value, boolean negative, String example) {
		if (negative) {
			throw invalid(property + " is " + value + "; it must be zero or positive",
					"Set " + property + " to " + example + ", or 0 to turn the check off.");
		}
	}

	private static void positive(String property, long value, String example) {
		if (value <= 0) {
			throw invalid(property + " is " + value + "; it must be a positive number",
					"Set " + property + " to a number of 1 or more, " + example + ".");
		}
	}

	private static void positive(String property, Duration value, String example) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw invalid(property + " is " + value + "; it must be a positive duration",
					"Set " + property + " to a duration above 0, " + example + ".");
		}
	}

	private static DataMigrationException invalid(String message, String action) {
		return new DataMigrationException(message, action, null);
	}

	private static @Nullable MigrationVersion baseline(@Nullable String version) {
		if (version == null) {
			return null;
		}
		try {
			return MigrationVersion.parse(version);
		}
		catch (IllegalArgumentException ex) {
			throw new DataMigrationException("data-migrate.baseline-version is invalid: " + ex.getMessage(),
					"Set data-migrate.baseline-version to the version of the last migration already applied by hand, "
							+ "or remove it.",
					ex);
		}
	}

}
