package dev.datamigrate.autoconfigure;

import dev.datamigrate.DataMigrationException;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.RunResult;
import dev.datamigrate.RunResult.Outcome;
import dev.datamigrate.autoconfigure.DataMigrateProperties.OnStartup;
import dev.datamigrate.runner.DeployPlan;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.ExitCodeEvent;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Does what {@code data-migrate.on-startup} asks. {@code run}, {@code run-and-exit} and {@code plan}
 * act once every singleton exists (so after Liquibase or Flyway, and before the web server starts);
 * {@code background} starts once the application is ready; the two exiting modes exit then, through
 * {@link SpringApplication#exit}. In a test that Spring's TestContext framework runs (a
 * {@code @SpringBootTest}) they leave the context open and the JVM running: the exit code is this bean's
 * ({@link #getExitCode()}), published as an {@code ExitCodeEvent} when it is not 0, as Spring Boot does.
 */
public class DataMigrationsStartup
		implements SmartInitializingSingleton, ApplicationListener<ApplicationReadyEvent>, ExitCodeGenerator {

	private static final Log logger = LogFactory.getLog(DataMigrationsStartup.class);

	private static final String TRIGGER = "startup";

	private final DataMigrations migrations;

	private final OnStartup mode;

	private final String endpointPath;

	private final PlanProperties.Format planFormat;

	private int exitCode;

	/**
	 * Create the startup runner.
	 * @param migrations the migrations
	 * @param mode what to do at startup
	 * @param endpointPath where the {@code datamigrations} endpoint answers over HTTP, or {@code null} when it
	 * does not
	 * @param planFormat how {@code plan} writes its report
	 */
	public DataMigrationsStartup(DataMigrations migrations, OnStartup mode, String endpointPath,
			PlanProperties.Format planFormat) {
		this.migrations = migrations;
		this.mode = mode;
		this.endpointPath = endpointPath;
		this.planFormat = planFormat;
		if (mode == OnStartup.PLAN && planFormat == PlanProperties.Format.JSON && !PlanJson.isAvailable()) {
			throw new DataMigrationException("data-migrate.plan.format=json needs Jackson, which is not on the class path",
					"Add spring-boot-starter-json (or tools.jackson.core:jackson-databind), or set "
							+ "data-migrate.plan.format=text.",
					null);
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		switch (this.mode) {
			case RUN -> check(this.migrations.runPending(TRIGGER));
			case RUN_AND_EXIT -> this.exitCode = this.migrations.runPending(TRIGGER).exitCode();
			case PLAN -> plan();
			default -> {
			}
		}
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (this.mode == OnStartup.BACKGROUND) {
			this.migrations.runPendingInBackground(TRIGGER);
		}
		else if (this.mode == OnStartup.RUN_AND_EXIT || this.mode == OnStartup.PLAN) {
			exit(event.getApplicationContext());
		}
	}

	/**
	 * Close the context through Spring Boot, so that its exit code generators (this one among them) give the
	 * code and {@code ExitCodeEvent} listeners hear it, then end the JVM with the code; in a test, only
	 * publish the code.
	 */
	private void exit(ConfigurableApplicationContext context) {
		String reason = " (data-migrate.on-startup=" + this.mode + ")";
		if (JvmExit.allowed(context.getEnvironment())) {
			logger.info("Exiting with code " + this.exitCode + reason);
			System.exit(SpringApplication.exit(context));
		}
		// Spring's TestContext framework closes a test's context itself, and fails a test whose context is closed
		logger.info("Leaving the application context open and the JVM running, as a test runs" + reason
				+ "; exit code " + this.exitCode);
		if (this.exitCode != 0) {
			context.publishEvent(new ExitCodeEvent(context, this.exitCode));
		}
	}

	private void plan() {
		DeployPlan plan = DeployPlan.of(this.migrations);
		System.out.print((this.planFormat == PlanProperties.Format.JSON) ? PlanJson.write(plan) + "\n" : plan.toText());
		System.out.flush();
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

	private void check(RunResult result) {
		if (result.outcome() == Outcome.FAILED && RunResult.POST_DEPLOY.equals(result.blockedBy())) {
			throw new DataMigrationException("Post-deploy changes failed after the data migrations succeeded: "
					+ result.error().getMessage(),
					"Fix the failing change and deploy again: the data migrations are recorded as done, so the next "
							+ "run applies only the post-deploy changes. To start the application meanwhile, set "
							+ "data-migrate.on-startup=skip.",
					result.error());
		}
		if (result.outcome() == Outcome.FAILED) {
			throw new DataMigrationException(
					"Data migration " + describe(result.blockedBy()) + " failed: " + result.error(),
					wayOut(result.blockedBy()), result.error());
		}
		if (result.outcome() == Outcome.HALTED) {
			MigrationInfo blocker = this.migrations.status().find(result.blockedBy()).orElseThrow();
			if (blocker.status() == MigrationStatus.PAUSED) {
				logger.warn("Data migration " + describe(blocker.version())
						+ " is PAUSED and holds the queue; resume it to let the queue go on");
				return;
			}
			throw new DataMigrationException("Data migration " + describe(blocker.version())
					+ " failed in an earlier run and halts the queue: " + firstLine(blocker.error()),
					wayOut(blocker.version()), null);
		}
		if (result.outcome() == Outcome.LOCK_UNAVAILABLE) {
			throw new DataMigrationException(
					"Another instance held the data migration lock for longer than data-migrate.lock.wait-timeout",
					"Wait for the other instance to finish its migrations and start again, raise "
							+ "data-migrate.lock.wait-timeout, or set data-migrate.on-startup=background so startup "
							+ "does not wait for the lock.",
					null);
		}
		if (result.outcome() == Outcome.SCHEMA_NOT_UP_TO_DATE) {
			throw new DataMigrationException(result.error().getMessage(),
					"Apply the pending schema changes (is the schema tool still running in another process, or did it "
							+ "fail?), raise data-migrate.schema.wait-timeout, or set data-migrate.on-startup=background "
							+ "so that startup does not wait for them.",
					null);
		}
		if (result.outcome() == Outcome.STOPPED) {
			logger.warn("Data migrations stopped before the queue was done (interrupted, shutting down or the lock "
					+ "was lost); the application starts, and the next run resumes them"
					+ ((result.blockedBy() != null) ? " from migration " + result.blockedBy() : ""));
		}
	}

	private String describe(String version) {
		return this.migrations.status()
			.find(version)
			.map((migration) -> version + " (" + migration.description() + ", " + migration.className() + ")")
			.orElse(version);
	}

	private String wayOut(String version) {
		String endpoint = (this.endpointPath != null)
				? " or POST " + this.endpointPath + "/" + version + " {\"action\":\"retry\"} (with "
						+ "management.endpoint.datamigrations.access=unrestricted); if it must not run, mark it done "
						+ "with {\"action\":\"skip\"}"
				: "; if it must not run, mark it done with DataMigrations.skip(\"" + version + "\"). The "
						+ "datamigrations endpoint does both over HTTP once it is exposed "
						+ "(management.endpoints.web.exposure.include=datamigrations)";
		return "A FAILED data migration halts the queue until it is retried or skipped. Fix the migration and "
				+ "deploy again with data-migrate.retry-failed=true, or retry it without a deploy through "
				+ "DataMigrations.retry(\"" + version + "\")" + endpoint + ". To start the application meanwhile, "
				+ "set data-migrate.on-startup=skip.";
	}

	private static String firstLine(String text) {
		if (text == null) {
			return "no error recorded";
		}
		int end = text.indexOf('\n');
		return (end < 0) ? text : text.substring(0, end).strip();
	}

}
