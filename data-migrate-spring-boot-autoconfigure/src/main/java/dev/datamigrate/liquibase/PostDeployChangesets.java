package dev.datamigrate.liquibase;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import dev.datamigrate.DataMigrations.PostDeployChange;
import dev.datamigrate.runner.MigrationEvents;
import dev.datamigrate.runner.PostDeploy;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.changelog.ChangeSet;
import liquibase.exception.LiquibaseException;
import liquibase.integration.spring.SpringLiquibase;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Liquibase changesets labelled {@code post-deploy}: a {@link BeanPostProcessor} holds them back from
 * the application's startup update, and the runner applies them after the data migrations.
 */
public class PostDeployChangesets implements PostDeploy, BeanPostProcessor {

	private static final Duration LISTING_TTL = Duration.ofSeconds(5);

	private final String label;

	private final boolean planOnly;

	private volatile SpringLiquibase application;

	private volatile PostDeployLabel filters;

	/**
	 * The last listing, kept briefly: each one parses the changelog and reads the database, and the
	 * endpoint may be polled.
	 */
	private volatile Listing listing;

	/**
	 * Create the post-deploy changesets of the application's Liquibase bean.
	 * @param label the label of post-deploy changesets
	 * @param planOnly whether the application only reports a plan ({@code on-startup=plan}), in which
	 * case the startup update does not run either
	 */
	public PostDeployChangesets(String label, boolean planOnly) {
		this.label = label;
		this.planOnly = planOnly;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof SpringLiquibase liquibase && this.application == null) {
			this.application = liquibase;
			this.filters = new PostDeployLabel(this.label, liquibase.getLabelFilter());
			liquibase.setLabelFilter(this.filters.startupFilter());
			if (this.planOnly) {
				liquibase.setShouldRun(false);
			}
		}
		return bean;
	}

	@Override
	public List<PostDeployChange> changes() {
		Listing listing = this.listing;
		if (listing == null || System.nanoTime() - listing.readAt() > LISTING_TTL.toNanos()) {
			listing = new Listing(read(), System.nanoTime());
			this.listing = listing;
		}
		return listing.changes();
	}

	/**
	 * The changes as the changelog and the database have them now.
	 */
	private List<PostDeployChange> read() {
		if (this.application == null) {
			return List.of();
		}
		return withLiquibase((liquibase) -> {
			Set<String> unrun = new HashSet<>();
			// false: only read the changelog table, never create it (a plan on a fresh database changes nothing)
			for (ChangeSet changeSet : liquibase.listUnrunChangeSets(contexts(),
					new LabelExpression(this.filters.postDeployFilter()), false)) {
				unrun.add(changeSet.toString(false));
			}
			return liquibase.getDatabaseChangeLog()
				.getChangeSets()
				.stream()
				.filter(this::isPostDeploy)
				.map((changeSet) -> new PostDeployChange(changeSet.toString(false), describe(changeSet),
						!unrun.contains(changeSet.toString(false))))
				.toList();
		});
	}

	@Override
	public void apply() {
		if (this.application == null) {
			return;
		}
		List<PostDeployChange> pending = read().stream().filter((change) -> !change.applied()).toList();
		if (pending.isEmpty()) {
			return;
		}
		withLiquibase((liquibase) -> {
			liquibase.update(contexts(), new LabelExpression(this.filters.postDeployFilter()));
			return null;
		});
		this.listing = null;
		for (PostDeployChange change : pending) {
			MigrationEvents.info("data_migration_post_deploy", "changeset", change.id(), "description",
					change.description());
		}
	}

	private boolean isPostDeploy(ChangeSet changeSet) {
		return changeSet.getLabels() != null && changeSet.getLabels()
			.getLabels()
			.stream()
			.anyMatch((label) -> label.equalsIgnoreCase(this.label));
	}

	private static String describe(ChangeSet changeSet) {
		return StringUtils.hasText(changeSet.getComments()) ? changeSet.getComments().strip() : changeSet.getDescription();
	}

	private Contexts contexts() {
		return new Contexts(this.application.getContexts());
	}

	private <T> T withLiquibase(LiquibaseCallback<T> callback) {
		SpringLiquibase application = this.application;
		DataSource dataSource = application.getDataSource();
		try (Connection connection = dataSource.getConnection()) {
			Liquibase liquibase = new Copy(application).open(connection);
			try {
				return callback.doWith(liquibase);
			}
			finally {
				connection.setAutoCommit(true);
			}
		}
		catch (SQLException | LiquibaseException ex) {
			throw new IllegalStateException("Post-deploy changesets of " + application.getChangeLog() + " failed: "
					+ ex.getMessage(), ex);
		}
	}

	private record Listing(List<PostDeployChange> changes, long readAt) {

	}

	@FunctionalInterface
	private interface LiquibaseCallback<T> {

		T doWith(Liquibase liquibase) throws LiquibaseException;

	}

	/**
	 * The application's Liquibase settings, copied so that post-deploy work opens its own
	 * {@link Liquibase} without running the application's bean again (which may drop first or clear
	 * checksums).
	 */
	private static final class Copy extends SpringLiquibase {

		private static final Field PARAMETERS = ReflectionUtils.findField(SpringLiquibase.class, "parameters");

		Copy(SpringLiquibase application) {
			setDataSource(application.getDataSource());
			setChangeLog(application.getChangeLog());
			setContexts(application.getContexts());
			setDefaultSchema(application.getDefaultSchema());
			setLiquibaseSchema(application.getLiquibaseSchema());
			setLiquibaseTablespace(application.getLiquibaseTablespace());
			setDatabaseChangeLogTable(application.getDatabaseChangeLogTable());
			setDatabaseChangeLogLockTable(application.getDatabaseChangeLogLockTable());
			setResourceLoader(application.getResourceLoader());
			setCustomizer(application.getCustomizer());
			setChangeLogParameters(parameters(application));
		}

		@SuppressWarnings("unchecked")
		private static Map<String, String> parameters(SpringLiquibase application) {
			if (PARAMETERS == null) {
				return null;
			}
			ReflectionUtils.makeAccessible(PARAMETERS);
			return (Map<String, String>) ReflectionUtils.getField(PARAMETERS, application);
		}

		Liquibase open(Connection connection) throws LiquibaseException {
			return createLiquibase(connection);
		}

	}

}
