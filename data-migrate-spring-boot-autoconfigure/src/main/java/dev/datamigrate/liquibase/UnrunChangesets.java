package dev.datamigrate.liquibase;

import java.util.List;
import java.util.Map;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.RuntimeEnvironment;
import liquibase.Scope;
import liquibase.changelog.ChangeLogIterator;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.filter.ContextChangeSetFilter;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.changelog.filter.IgnoreChangeSetFilter;
import liquibase.changelog.filter.LabelChangeSetFilter;
import liquibase.changelog.filter.ShouldRunChangeSetFilter;
import liquibase.changelog.visitor.ListVisitor;
import liquibase.database.Database;
import liquibase.exception.LiquibaseException;

/**
 * The changesets that an update would run, listed as {@link Liquibase#listUnrunChangeSets} lists them,
 * through the filters of Liquibase's own update, but without validating the changelog unless asked:
 * validation computes every changeset's checksum, most of a listing's time, and the application's own
 * update validates the same changelog. Never creates the changelog table; without one, every changeset is
 * unrun.
 */
final class UnrunChangesets {

	private UnrunChangesets() {
	}

	/**
	 * The unrun changesets, in changelog order.
	 * @param liquibase a Liquibase on the changelog and the database
	 * @param contexts the contexts of the update
	 * @param labels the label filter of the update
	 * @param validate whether to validate the changelog first, where no update of this application did
	 * @return the changesets
	 * @throws LiquibaseException if the changelog cannot be read, is invalid, or the database cannot be read
	 */
	static List<ChangeSet> list(Liquibase liquibase, Contexts contexts, LabelExpression labels, boolean validate)
			throws LiquibaseException {
		liquibase.getChangeLogParameters().setContexts(contexts);
		liquibase.getChangeLogParameters().setLabels(labels);
		Database database = liquibase.getDatabase();
		Map<String, Object> scope = Map.of(Scope.Attr.database.name(), database, Scope.Attr.resourceAccessor.name(),
				liquibase.getResourceAccessor());
		try {
			return Scope.child(scope, () -> {
				DatabaseChangeLog changeLog = liquibase.getDatabaseChangeLog();
				if (validate) {
					changeLog.validate(database, contexts, labels);
				}
				ListVisitor unrun = new ListVisitor();
				new ChangeLogIterator(changeLog, new ShouldRunChangeSetFilter(database),
						new ContextChangeSetFilter(contexts), new LabelChangeSetFilter(labels),
						new DbmsChangeSetFilter(database), new IgnoreChangeSetFilter())
					.run(unrun, new RuntimeEnvironment(database, contexts, labels));
				return unrun.getSeenChangeSets();
			});
		}
		catch (LiquibaseException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new LiquibaseException(ex);
		}
	}

}
