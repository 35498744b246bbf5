package dev.datamigrate.liquibase;

import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import dev.datamigrate.DataMigrations.PostDeployChange;
import dev.datamigrate.DataMigrations.SchemaChange;
import dev.datamigrate.runner.MigrationEvents;
import dev.datamigrate.runner.SchemaTool;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.exception.LiquibaseException;
import liquibase.integration.spring.SpringLiquibase;
import liquibase.ui.UIService;
import liquibase.ui.UIServiceEnum;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.StringUtils;

/**
 * The application's Liquibase as the runner sees it: its unrun changesets, which a run waits for, and
 * those labelled {@code post-deploy}, which a {@link BeanPostProcessor} holds back from the startup
 * update and the runner applies after the data migrations.
 */
public class PostDeployChangesets implements SchemaTool, BeanPostProcessor {

	/**
	 * How long a listing is reused: each one parses the changelog and reads the database, and the endpoint
	 * may be polled. Unrun changesets only become fewer, so a listing errs only on the side of waiting.
	 */
	private static final Duration LISTING_TTL = Duration.ofSeconds(1);

	private final String label;

	private final boolean planOnly;

	private final boolean sessionLock;

	private volatile SpringLiquibase application;

	private volatile PostDeployLabel filters;

	private volatile @Nullable Listing listing;

	/**
	 * Create the post-deploy changesets of the application's Liquibase bean.
	 * @param label the label of post-deploy changesets
	 * @param planOnly whether the application only reports a plan ({@code on-startup=plan}), in which
	 * case the startup update does not run either
	 * @param sessionLock whether Liquibase's updates run under a lock of the database session
	 * ({@link SessionLockService})
	 */
	public PostDeployChangesets(String label, boolean planOnly, boolean sessionLock) {
		this.label = label;
		this.planOnly = planOnly;
		this.sessionLock = sessionLock;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof SpringLiquibase liquibase && this.application == null) {
			SessionLockService.setEnabled(this.sessionLock);
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
	public List<SchemaChange> pending() {
		return listing().pending();
	}

	@Override
	public List<PostDeployChange> postDeployChanges() {
		return listing().postDeploy();
	}

	private Listing listing() {
		Listing listing = this.listing;
		if (listing == null || System.nanoTime() - listing.readAt() > LISTING_TTL.toNanos()) {
			listing = read();
			this.listing = listing;
		}
		return listing;
	}

	/**
	 * The changesets as the changelog and the database have them now.
	 */
	private Listing read() {
		if (this.application == null) {
			return new Listing(List.of(), List.of(), System.nanoTime());
		}
		return withLiquibase((liquibase) -> {
			Set<String> unrun = new HashSet<>();
			// validated here only for a plan, where the application's update, which validates it, does not run
			for (ChangeSet changeSet : UnrunChangesets.list(liquibase, contexts(),
					new LabelExpression(this.filters.applicationFilter()), this.planOnly)) {
				unrun.add(changeSet.toString(false));
			}
			List<ChangeSet> changeSets = liquibase.getDatabaseChangeLog().getChangeSets();
			List<SchemaChange> pending = changeSets.stream()
				.filter((changeSet) -> unrun.contains(changeSet.toString(false)))
				.filter((changeSet) -> !ChangesetKinds.hasLabel(changeSet, this.label))
				.filter((changeSet) -> !ChangesetKinds.staysPending(changeSet))
				.map((changeSet) -> new SchemaChange(changeSet.toString(false), describe(changeSet),
						ChangesetKinds.waitsFor(changeSet)))
				.toList();
			List<PostDeployChange> postDeploy = changeSets.stream()
				.filter((changeSet) -> ChangesetKinds.hasLabel(changeSet, this.label))
				.map((changeSet) -> new PostDeployChange(changeSet.toString(false), describe(changeSet),
						!unrun.contains(changeSet.toString(false)), ChangesetKinds.waitsFor(changeSet)))
				.toList();
			return new Listing(pending, postDeploy, System.nanoTime());
		});
	}

	@Override
	public void applyPostDeploy() {
		Listing known = this.listing;
		if (this.application == null
				|| (known != null && known.postDeploy().stream().allMatch(PostDeployChange::applied))) {
			// an applied change stays applied, so a listing that has them all needs no second read
			return;
		}
		this.listing = null;
		List<PostDeployChange> pending = postDeployChanges().stream().filter((change) -> !change.applied()).toList();
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
			Liquibase liquibase = new LiquibaseCopy(application).open(connection);
			try {
				// the application's UI service (Spring Boot's is the logger), as its own update has it
				return Scope.child(Map.of(Scope.Attr.ui.name(), uiService(application)), () -> callback.doWith(liquibase));
			}
			finally {
				connection.setAutoCommit(true);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Liquibase changesets of " + application.getChangeLog() + " could not be "
					+ "read or applied: " + ex.getMessage(), ex);
		}
	}

	private static UIService uiService(SpringLiquibase application) throws ReflectiveOperationException {
		UIServiceEnum uiService = (application.getUiService() != null) ? application.getUiService()
				: UIServiceEnum.LOGGER;
		return uiService.getUiServiceClass().getDeclaredConstructor().newInstance();
	}

	private record Listing(List<SchemaChange> pending, List<PostDeployChange> postDeploy, long readAt) {

	}

	@FunctionalInterface
	private interface LiquibaseCallback<T> {

		T doWith(Liquibase liquibase) throws LiquibaseException;

	}

}
