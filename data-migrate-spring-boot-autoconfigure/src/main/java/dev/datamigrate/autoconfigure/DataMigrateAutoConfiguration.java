package dev.datamigrate.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import liquibase.integration.spring.SpringLiquibase;
import org.flywaydb.core.Flyway;

import dev.datamigrate.DataMigrationListener;
import dev.datamigrate.autoconfigure.DataMigrateProperties.OnStartup;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.Throttle;
import dev.datamigrate.batch.ParallelWalks;
import dev.datamigrate.database.Database;
import dev.datamigrate.history.AutoCommitDataSource;
import dev.datamigrate.history.MigrationHistory;
import dev.datamigrate.history.RangeTable;
import dev.datamigrate.history.SqlIdentifier;
import dev.datamigrate.lock.MigrationLock;
import dev.datamigrate.runner.DataMigrationRegistry;
import dev.datamigrate.runner.ApplicationEvents;
import dev.datamigrate.runner.CompositeListener;
import dev.datamigrate.runner.DataMigrationRunner;
import dev.datamigrate.runner.DataMigrationsLifecycle;
import dev.datamigrate.runner.DefaultDataMigrations;
import dev.datamigrate.runner.MigrationStatuses;
import dev.datamigrate.flyway.FlywaySchema;
import dev.datamigrate.flyway.PlanOnlyFlyway;
import dev.datamigrate.liquibase.LiquibaseUpdateLock;
import dev.datamigrate.liquibase.PostDeployChangesets;
import dev.datamigrate.runner.SchemaTool;
import dev.datamigrate.runner.RunnerSettings;
import dev.datamigrate.runner.ThisInstance;
import dev.datamigrate.throttle.ThrottleCheck;
import dev.datamigrate.throttle.Throttles;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of data migrations: the history table, the lock, the runner and the
 * {@link DataMigrations} bean, on the application's single {@link DataSource}. Ordered after the
 * schema tools so that it runs after them.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class },
		afterName = { "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
				"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
				"org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
				"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration" })
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBooleanProperty(name = "data-migrate.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DataMigrateProperties.class)
@Import(DataMigrationTasksConfiguration.class)
public final class DataMigrateAutoConfiguration {

	private static final String ENTITY_MANAGER_FACTORY = "jakarta.persistence.EntityManagerFactory";

	@Bean
	@ConditionalOnMissingBean
	DataMigrationRegistry dataMigrationRegistry(ListableBeanFactory beanFactory) {
		return new DataMigrationRegistry(beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	Database dataMigrationDatabase(DataSource dataSource) {
		return Database.of(dataSource);
	}

	@Bean
	@ConditionalOnMissingBean
	MigrationHistory dataMigrationHistory(DataSource dataSource, Database database, DataMigrateProperties properties) {
		return new MigrationHistory(dataSource, database, SqlIdentifier.validateTableName(properties.getTableName()));
	}

	@Bean
	@ConditionalOnMissingBean
	MigrationLock dataMigrationLock(DataSource dataSource, Database database, MigrationHistory history,
			DataMigrateProperties properties,
			@Qualifier(DataMigrationTasksConfiguration.TASK_SCHEDULER) TaskScheduler heartbeats) {
		return database.lock(new AutoCommitDataSource(dataSource), history.table(),
				properties.getLock().getLeaseDuration(), heartbeats);
	}

	@Bean
	@ConditionalOnMissingBean(DataMigrations.class)
	DefaultDataMigrations dataMigrations(DataMigrationRegistry registry, MigrationHistory history, Database database,
			MigrationLock lock, DataSource dataSource, ObjectProvider<PlatformTransactionManager> transactionManager,
			ObjectProvider<DataMigrationListener> listeners, ObjectProvider<SchemaTool> schemaTool,
			ListableBeanFactory beanFactory, DataMigrateProperties properties, ApplicationEventPublisher events,
			ObjectProvider<BuildProperties> build, Environment environment,
			@Qualifier(DataMigrationTasksConfiguration.TASK_EXECUTOR) TaskExecutor executor,
			@Qualifier(DataMigrationTasksConfiguration.TASK_SCHEDULER) TaskScheduler heartbeats) {
		AtomicBoolean shuttingDown = new AtomicBoolean();
		PlatformTransactionManager transactions = transactionManager(transactionManager.getIfUnique(), dataSource);
		List<DataMigrationListener> all = new ArrayList<>(listeners.orderedStream().toList());
		all.add(new ApplicationEvents(events, history));
		DataMigrationListener listener = new CompositeListener(all);
		SchemaTool schema = schemaTool.getIfAvailable(() -> SchemaTool.NONE);
		RunnerSettings settings = RunnerSettingsValidation.settings(properties, appVersion(build, environment));
		RangeTable ranges = new RangeTable(dataSource, database, history.table(), new TransactionTemplate(transactions));
		DataMigrationRunner runner = new DataMigrationRunner(registry, history, database, lock,
				new JdbcTemplate(new AutoCommitDataSource(dataSource)), transactions, settings, shuttingDown::get,
				listener, schema, new Throttles(throttleBeans(beanFactory), database.throttleChecks(dataSource,
						RunnerSettingsValidation.throttleSettings(properties.getThrottle(), beanFactory)),
						properties.getThrottle().getInterval()), heartbeats,
				new ParallelWalks(ranges, executor, heartbeats, settings.leaseDuration(), ThisInstance.executedBy()));
		return new DefaultDataMigrations(registry, history, runner, shuttingDown, schema,
				new MigrationStatuses(registry, history, ranges, settings.leaseDuration()), executor);
	}

	@Bean
	@ConditionalOnBean(DefaultDataMigrations.class)
	DataMigrationsLifecycle dataMigrationsLifecycle(DefaultDataMigrations migrations) {
		return new DataMigrationsLifecycle(migrations);
	}

	/**
	 * The application's version, recorded with each run: its build information when it has some, else
	 * {@code spring.application.version} (which Spring Boot takes from the jar's manifest).
	 */
	private static String appVersion(ObjectProvider<BuildProperties> build, Environment environment) {
		BuildProperties properties = build.getIfAvailable();
		return (properties != null && properties.getVersion() != null) ? properties.getVersion()
				: environment.getProperty("spring.application.version");
	}

	/**
	 * The application's throttles in their order, named for the warning of one that fails.
	 */
	private static List<ThrottleCheck> throttleBeans(ListableBeanFactory beanFactory) {
		List<Map.Entry<String, Throttle>> beans = new ArrayList<>(beanFactory.getBeansOfType(Throttle.class).entrySet());
		beans.sort(Map.Entry.comparingByValue(AnnotationAwareOrderComparator.INSTANCE));
		return beans.stream().map((bean) -> new ThrottleCheck("bean '" + bean.getKey() + "'", bean.getValue())).toList();
	}

	@Bean
	@ConditionalOnMissingBean
	DataMigrationsStartup dataMigrationsStartup(DataMigrations migrations, DataMigrateProperties properties,
			Environment environment) {
		return new DataMigrationsStartup(migrations, properties.getOnStartup(), EndpointPath.of(environment),
				properties.getPlan().getFormat());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SpringLiquibase.class)
	@ConditionalOnBean(SpringLiquibase.class)
	static class LiquibasePostDeployConfiguration {

		@Bean
		@ConditionalOnMissingBean(SchemaTool.class)
		static PostDeployChangesets dataMigrationsPostDeployChangesets(Environment environment) {
			// a post-processor is created before configuration properties beans, so it binds what it needs
			Binder binder = Binder.get(environment);
			String label = binder.bind("data-migrate.liquibase.post-deploy-label", String.class)
				.orElse(DataMigrateProperties.Liquibase.DEFAULT_POST_DEPLOY_LABEL);
			OnStartup mode = binder.bind("data-migrate.on-startup", OnStartup.class).orElse(OnStartup.RUN);
			boolean sessionLock = binder.bind("data-migrate.liquibase.session-lock", Boolean.class).orElse(true);
			return new PostDeployChangesets(label, mode == OnStartup.PLAN, sessionLock);
		}

		@Bean
		@ConditionalOnBooleanProperty(name = "data-migrate.liquibase.session-lock", matchIfMissing = true)
		static LiquibaseUpdateLock dataMigrationsLiquibaseUpdateLock(Environment environment,
				@Qualifier(DataMigrationTasksConfiguration.TASK_SCHEDULER) ObjectProvider<TaskScheduler> heartbeats) {
			return new LiquibaseUpdateLock(Binder.get(environment)
				.bind("data-migrate.lock.wait-timeout", Duration.class)
				.orElseGet(() -> new DataMigrateProperties.Lock().getWaitTimeout()), heartbeats);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Flyway.class, FlywayMigrationInitializer.class })
	static class FlywaySchemaConfiguration {

		@Bean
		@ConditionalOnMissingBean(SchemaTool.class)
		@ConditionalOnBean(Flyway.class)
		FlywaySchema dataMigrationsFlywaySchema(Flyway flyway) {
			return new FlywaySchema(flyway);
		}

		@Bean
		@ConditionalOnProperty(name = "data-migrate.on-startup", havingValue = "plan")
		static PlanOnlyFlyway dataMigrationsPlanOnlyFlyway() {
			return new PlanOnlyFlyway();
		}

	}

	@Bean
	static LazyInitializationExcludeFilter dataMigrationsStartupLazyInitializationExcludeFilter() {
		return LazyInitializationExcludeFilter.forBeanTypes(DataMigrationsStartup.class);
	}

	/**
	 * The application's transaction manager when it manages transactions of this data source (directly,
	 * through JPA or JTA); otherwise, such as for a Kafka or JMS one, a JDBC one of our own, since a batch
	 * and its checkpoint must commit together.
	 */
	private static PlatformTransactionManager transactionManager(PlatformTransactionManager candidate,
			DataSource dataSource) {
		if (candidate == null) {
			return new DataSourceTransactionManager(dataSource);
		}
		if (candidate instanceof ResourceTransactionManager resource) {
			Object factory = resource.getResourceFactory();
			boolean jdbc = factory == dataSource;
			ClassLoader classLoader = DataMigrateAutoConfiguration.class.getClassLoader();
			boolean jpa = ClassUtils.isPresent(ENTITY_MANAGER_FACTORY, classLoader)
					&& ClassUtils.resolveClassName(ENTITY_MANAGER_FACTORY, classLoader).isInstance(factory);
			if (!jdbc && !jpa) {
				return new DataSourceTransactionManager(dataSource);
			}
		}
		return candidate;
	}

}
