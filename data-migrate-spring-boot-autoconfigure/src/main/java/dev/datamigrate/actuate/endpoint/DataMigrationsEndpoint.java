package dev.datamigrate.actuate.endpoint;

import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.DataMigrations.DataMigrationsStatus;
import dev.datamigrate.DataMigrations.PostDeployChange;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.runner.DefaultDataMigrations;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code datamigrations} endpoint: what ran, what is pending, what runs now and how far it is,
 * and the operator's actions on them. Read-only unless
 * {@code management.endpoint.datamigrations.access=unrestricted}.
 */
@Endpoint(id = "datamigrations", defaultAccess = Access.READ_ONLY)
public class DataMigrationsEndpoint {

	private final DataMigrations migrations;

	private final boolean retryFailed;

	private final RecentBatches recentBatches;

	/**
	 * Create the endpoint, without recent batches.
	 * @param migrations the migrations
	 * @param retryFailed whether a run retries FAILED migrations ({@code data-migrate.retry-failed})
	 */
	public DataMigrationsEndpoint(DataMigrations migrations, boolean retryFailed) {
		this(migrations, retryFailed, new RecentBatches());
	}

	/**
	 * Create the endpoint.
	 * @param migrations the migrations
	 * @param retryFailed whether a run retries FAILED migrations ({@code data-migrate.retry-failed})
	 * @param recentBatches the batches that the single-migration response shows
	 */
	public DataMigrationsEndpoint(DataMigrations migrations, boolean retryFailed, RecentBatches recentBatches) {
		this.migrations = migrations;
		this.retryFailed = retryFailed;
		this.recentBatches = recentBatches;
	}

	@ReadOperation
	public DataMigrationsDescriptor migrations() {
		return new DataMigrationsDescriptor(this.migrations.status(), this.migrations.postDeployChanges());
	}

	@ReadOperation
	public MigrationDescriptor migration(@Selector String version) {
		return this.migrations.status()
			.find(version)
			.map((migration) -> new MigrationDescriptor(migration, this.recentBatches.of(migration.version())))
			.orElse(null);
	}

	/**
	 * Start running pending migrations in the background on this instance, unless something stops it.
	 * @param securityContext who asked
	 * @return what was started, or why not
	 */
	@WriteOperation
	public RunDescriptor run(SecurityContext securityContext) {
		DataMigrationsStatus status = this.migrations.status();
		List<MigrationInfo> queue = status.migrations().stream().filter((m) -> !m.status().isDone()).toList();
		if (this.migrations.isRunning()) {
			return new RunDescriptor(false, versions(queue), "already running on this instance");
		}
		for (MigrationInfo migration : queue) {
			if (migration.status() == MigrationStatus.PAUSED
					|| (migration.status() == MigrationStatus.FAILED && !this.retryFailed)) {
				return new RunDescriptor(false, versions(queue), "halted by " + migration.status() + " migration "
						+ migration.version() + ": " + action(migration.status()) + " it first");
			}
		}
		if (queue.isEmpty() && this.migrations.postDeployChanges().stream().allMatch(PostDeployChange::applied)) {
			return new RunDescriptor(false, List.of(), "nothing pending");
		}
		this.migrations.runPendingInBackground(principal(securityContext));
		return new RunDescriptor(true, versions(queue), null);
	}

	/**
	 * Act on one migration.
	 * @param version the version
	 * @param action {@code pause}, {@code resume}, {@code retry} or {@code skip}
	 * @param securityContext who asked
	 * @return the migration's new state
	 * @throws InvalidEndpointRequestException for an unknown action
	 * @throws NoSuchElementException for an unknown version
	 * @throws IllegalStateException when the action is not allowed in the migration's state
	 */
	@WriteOperation
	public MigrationDescriptor act(@Selector String version, @Nullable String action,
			SecurityContext securityContext) {
		String principal = principal(securityContext);
		MigrationInfo changed = switch (Action.of(action)) {
			case PAUSE -> this.migrations.pause(version, principal);
			case RESUME -> this.migrations.resume(version, principal);
			case RETRY -> this.migrations.retry(version, principal);
			case SKIP -> this.migrations.skip(version, principal);
		};
		if (changed.status() == MigrationStatus.PENDING) {
			this.migrations.runPendingInBackground(principal);
		}
		return new MigrationDescriptor(changed);
	}

	private static String action(MigrationStatus status) {
		return (status == MigrationStatus.PAUSED) ? "resume or skip" : "retry or skip";
	}

	private static List<String> versions(List<MigrationInfo> migrations) {
		return migrations.stream().map(MigrationInfo::version).toList();
	}

	private static String principal(SecurityContext securityContext) {
		return (securityContext != null && securityContext.getPrincipal() != null)
				? securityContext.getPrincipal().getName() : "anonymous";
	}

	/**
	 * What an operator may do to a migration.
	 */
	enum Action {

		PAUSE, RESUME, RETRY, SKIP;

		static Action of(@Nullable String action) {
			if (action == null) {
				throw new InvalidEndpointRequestException("No action: " + EndpointBodyErrors.EXPECTED, "No action");
			}
			try {
				return valueOf(String.valueOf(action).toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidEndpointRequestException(
						"Unknown action '" + DefaultDataMigrations.echo(action) + "': use pause, resume, retry or skip",
						"Unknown action");
			}
		}

	}

}
