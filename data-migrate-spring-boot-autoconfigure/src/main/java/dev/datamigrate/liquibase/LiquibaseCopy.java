package dev.datamigrate.liquibase;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.util.Map;

import liquibase.Liquibase;
import liquibase.exception.LiquibaseException;
import liquibase.integration.spring.SpringLiquibase;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * The application's Liquibase settings, copied so that the starter opens its own {@link Liquibase}
 * without running the application's bean again (which may drop first or clear checksums).
 */
final class LiquibaseCopy extends SpringLiquibase {

	private static final @Nullable Field PARAMETERS = ReflectionUtils.findField(SpringLiquibase.class, "parameters");

	LiquibaseCopy(SpringLiquibase application) {
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
		// Spring Boot's is the logger, so that "Running Changeset" lines go to the log, not raw to stdout
		setUiService(application.getUiService());
		setAnalyticsEnabled(application.getAnalyticsEnabled());
		setChangeLogParameters(parameters(application));
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, String> parameters(SpringLiquibase application) {
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
