package dev.datamigrate.autoconfigure;

import java.util.concurrent.CompletableFuture;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.DataMigrations.DataMigrationsStatus;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.RunResult;
import dev.datamigrate.fixtures.BodyRuns;
import dev.datamigrate.fixtures.FailingMigrations;
import dev.datamigrate.fixtures.FiveMigrations;
import dev.datamigrate.history.MigrationHistory;
import dev.datamigrate.lock.LeaseLock;
import dev.datamigrate.lock.MigrationLock;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the auto-configuration applies, and how users replace its parts.
 */
class DataMigrateAutoConfigurationTests {

	private TestDatabase database;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void createDatabase() {
		this.database = TestDatabase.create(TestDatabase.Kind.H2);
		this.contextRunner = MigrationContexts.jdbc(this.database);
	}

	@AfterEach
	void dropDatabase() {
		this.database.close();
	}

	@Test
	void withoutDataSourceBacksOff() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataMigrateAutoConfiguration.class))
			.withUserConfiguration(StartupValidationTests.MalformedVersion.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DataMigrations.class));
	}

	@Test
	void disabledByPropertyRunsNothing() {
		this.contextRunner.withUserConfiguration(FiveMigrations.class)
			.withPropertyValues("data-migrate.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(DataMigrations.class);
				assertThat(BodyRuns.counts(context.getBean(JdbcTemplate.class))).isEmpty();
			});
	}

	@Test
	void onH2TheLockIsALease() {
		this.contextRunner
			.run((context) -> assertThat(context).getBean(MigrationLock.class).isInstanceOf(LeaseLock.class));
	}

	@Test
	void skipModeRunsNothingAtStartupAndCreatesNoTable() {
		this.contextRunner.withUserConfiguration(FiveMigrations.class)
			.withPropertyValues("data-migrate.on-startup=skip")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MigrationHistory.class).exists()).isFalse();
				assertThat(context.getBean(DataMigrations.class).status().pending()).isEqualTo(5);
				assertThat(BodyRuns.counts(context.getBean(JdbcTemplate.class))).isEmpty();
			});
	}

	@Test
	void backgroundModeRunsOnceTheApplicationIsReady() {
		this.contextRunner.withUserConfiguration(FiveMigrations.class)
			.withPropertyValues("data-migrate.on-startup=background")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(BodyRuns.counts(context.getBean(JdbcTemplate.class))).as("nothing ran during startup")
					.isEmpty();
				DataMigrations migrations = context.getBean(DataMigrations.class);
				RunResult result = migrations.runPendingInBackground("test").get();
				assertThat(result.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
				assertThat(migrations.status().pending()).isZero();
			});
	}

	@Test
	void aTransactionManagerOfAnotherResourceIsNotUsed() {
		try (TestDatabase other = TestDatabase.create(TestDatabase.Kind.H2); var otherDataSource = other.dataSource()) {
			this.contextRunner.withUserConfiguration(FailingMigrations.class)
				.withBean("kafkaLikeTransactionManager", PlatformTransactionManager.class,
						() -> new DataSourceTransactionManager(otherDataSource))
				.run((context) -> assertThat(context).hasFailed());
			try (var dataSource = this.database.dataSource()) {
				assertThat(BodyRuns.counts(new JdbcTemplate(dataSource))).as("the failed migration's write rolled back")
					.isEqualTo(java.util.Map.of("1", 1));
			}
		}
	}

	@Test
	void userDataMigrationsBeanReplacesOurs() {
		this.contextRunner.withUserConfiguration(FiveMigrations.class, CustomDataMigrations.class).run((context) -> {
			assertThat(context).hasSingleBean(DataMigrations.class);
			assertThat(context.getBean(DataMigrations.class)).isSameAs(CustomDataMigrations.INSTANCE);
			assertThat(BodyRuns.counts(context.getBean(JdbcTemplate.class))).isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomDataMigrations {

		static final DataMigrations INSTANCE = new DataMigrations() {

			@Override
			public DataMigrationsStatus status() {
				return new DataMigrationsStatus(java.util.List.of());
			}

			@Override
			public RunResult runPending(String triggeredBy) {
				return new RunResult(RunResult.Outcome.COMPLETED, java.util.List.of(), null, null);
			}

			@Override
			public CompletableFuture<RunResult> runPendingInBackground(String triggeredBy) {
				return CompletableFuture.completedFuture(runPending(triggeredBy));
			}

			@Override
			public boolean isRunning() {
				return false;
			}

			@Override
			public java.util.List<dev.datamigrate.DataMigrations.PostDeployChange> postDeployChanges() {
				return java.util.List.of();
			}

			@Override
			public MigrationInfo pause(String version, String triggeredBy) {
				throw new UnsupportedOperationException();
			}

			@Override
			public MigrationInfo resume(String version, String triggeredBy) {
				throw new UnsupportedOperationException();
			}

			@Override
			public MigrationInfo retry(String version, String triggeredBy) {
				throw new UnsupportedOperationException();
			}

			@Override
			public MigrationInfo skip(String version, String triggeredBy) {
				throw new UnsupportedOperationException();
			}

		};

		@Bean
		DataMigrations customDataMigrations() {
			return INSTANCE;
		}

	}

}
