package dev.datamigrate.runner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationException;
import dev.datamigrate.DataMigrationTask;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The {@code @DataMigration} beans of the application context, validated and in version order. Built
 * from bean definitions, so bad migrations stop startup before any of them is created.
 */
public class DataMigrationRegistry {

	/** Where a word starts inside a class name: {@code BackfillHTTPStatus} has words at B, H and S. */
	private static final Pattern WORD_START = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");

	private final ListableBeanFactory beanFactory;

	private final List<MigrationDefinition> definitions;

	private final Map<MigrationVersion, MigrationDefinition> byVersion = new HashMap<>();

	/**
	 * Find and validate the migrations of a bean factory.
	 * @param beanFactory the bean factory
	 * @throws DataMigrationException for a bean that is not a {@link DataMigrationTask}, a malformed
	 * version or a version used twice
	 */
	public DataMigrationRegistry(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
		List<MigrationDefinition> found = new ArrayList<>();
		for (String beanName : beanFactory.getBeanNamesForAnnotation(DataMigration.class)) {
			MigrationDefinition definition = define(beanName);
			MigrationDefinition duplicate = this.byVersion.putIfAbsent(definition.version(), definition);
			if (duplicate != null) {
				boolean sameText = duplicate.version().toString().equals(definition.version().toString());
				throw new DataMigrationException(sameText
						? "Data migrations " + duplicate.className() + " and " + definition.className()
								+ " both have version " + definition.version()
						: "Data migrations " + duplicate.className() + " (version " + duplicate.version() + ") and "
								+ definition.className() + " (version " + definition.version()
								+ ") have the same version, as trailing zero segments do not count",
						"Give one of them a new, higher version. Versions identify migrations in the history "
								+ "table, so change the one that has not run anywhere yet.",
						null);
			}
			found.add(definition);
		}
		found.sort(Comparator.comparing(MigrationDefinition::version));
		this.definitions = List.copyOf(found);
	}

	private MigrationDefinition define(String beanName) {
		Class<?> type = ClassUtils.getUserClass(this.beanFactory.getType(beanName));
		DataMigration annotation = this.beanFactory.findAnnotationOnBean(beanName, DataMigration.class);
		if (!DataMigrationTask.class.isAssignableFrom(type)) {
			throw new DataMigrationException(
					type.getName() + " is annotated with @DataMigration but does not implement DataMigrationTask",
					"Implement dev.datamigrate.DataMigrationTask in " + type.getSimpleName()
							+ ", or remove @DataMigration from it.",
					null);
		}
		MigrationVersion version;
		try {
			version = MigrationVersion.parse(annotation.version());
		}
		catch (IllegalArgumentException ex) {
			throw new DataMigrationException("Data migration " + type.getName() + " has an invalid version: "
					+ ex.getMessage(), "Fix the version in @DataMigration on " + type.getSimpleName() + ".", ex);
		}
		String description = StringUtils.hasText(annotation.description()) ? annotation.description()
				: describe(type.getSimpleName());
		return new MigrationDefinition(version, description, type.getName(), beanName, annotation.transactional());
	}

	static String describe(String className) {
		String words = WORD_START.matcher(className).replaceAll(" ").toLowerCase();
		return StringUtils.capitalize(words);
	}

	/**
	 * The migrations in version order.
	 * @return the migrations
	 */
	public List<MigrationDefinition> definitions() {
		return this.definitions;
	}

	/**
	 * The migration of a version, if the application has one.
	 * @param version the version
	 * @return the migration
	 */
	public Optional<MigrationDefinition> find(MigrationVersion version) {
		return Optional.ofNullable(this.byVersion.get(version));
	}

	/**
	 * The bean that does the migration's work.
	 * @param definition the migration
	 * @return its bean
	 */
	public DataMigrationTask task(MigrationDefinition definition) {
		return this.beanFactory.getBean(definition.beanName(), DataMigrationTask.class);
	}

}
