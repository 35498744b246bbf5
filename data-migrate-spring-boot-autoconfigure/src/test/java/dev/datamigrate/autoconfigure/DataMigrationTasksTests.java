package dev.datamigrate.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.RunResult;
import dev.datamigrate.RunResult.Outcome;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The threads a user sees in a thread dump: a background run on the starter's executor, its heartbeats on
 * the starter's scheduler, either replaced by a bean of the same name, and neither taking the place of
 * the application's own executor and scheduler.
 */
class DataMigrationTasksTests {

	private TestDatabase database;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void createDatabase() {
		this.database = TestDatabase.create(TestDatabase.Kind.H2);
		this.contextRunner = MigrationContexts.jdbc(this.database)
			.withUserConfiguration(ThreadRecordingMigration.class)
			.withPropertyValues("data-migrate.on-startup=skip");
		ThreadRecordingMigration.threads.clear();
	}

	@AfterEach
	void dropDatabase() {
		this.database.close();
	}

	@Test
	void aBackgroundRunRunsOnTheStartersExecutorAndItsHeartbeatsOnTheStartersScheduler() {
		// a lease of 300 ms beats every 100 ms, on H2 both the run's heartbeat and the lease's
		this.contextRunner.withPropertyValues("data-migrate.lock.lease-duration=300ms").run((context) -> {
			assertThat(context).hasNotFailed();
			ThreadRecordingMigration.release = new CountDownLatch(1);
			DataMigrations migrations = context.getBean(DataMigrations.class);
			var run = migrations.runPendingInBackground("test");
			await().atMost(Duration.ofSeconds(30)).until(() -> ThreadRecordingMigration.threads.containsKey("1"));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> liveThreads().containsAll(Set.of("data-migrate-heartbeat-1", "data-migrate-heartbeat-2")));
			ThreadRecordingMigration.release.countDown();
			assertThat(run.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.COMPLETED);
			assertThat(ThreadRecordingMigration.threads.get("1")).matches("data-migrate-\\d+");
			assertThat(context.getBean(DataMigrationTasksConfiguration.TASK_EXECUTOR))
				.isInstanceOf(SimpleAsyncTaskExecutor.class);
		});
	}

	@Test
	void aTaskExecutorOfTheApplicationNamedDataMigrationTaskExecutorRunsTheBackgroundRuns() {
		this.contextRunner.withUserConfiguration(OwnExecutor.class).run((context) -> {
			assertThat(context).hasNotFailed();
			RunResult result = context.getBean(DataMigrations.class)
				.runPendingInBackground("test")
				.get(30, TimeUnit.SECONDS);
			assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
			assertThat(ThreadRecordingMigration.threads.get("1")).matches("own-executor-\\d+");
		});
	}

	@Test
	void theStartersExecutorAndSchedulerLeaveTheApplicationsOwnInPlace() {
		this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class))
			.withUserConfiguration(ApplicationScheduling.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasBean("applicationTaskExecutor").hasBean("taskScheduler");
				ApplicationScheduling.Injected injected = context.getBean(ApplicationScheduling.Injected.class);
				// Spring Boot's scheduler is an executor too
				assertThat(injected.executors()).containsExactlyInAnyOrder(
						context.getBean("applicationTaskExecutor", TaskExecutor.class),
						context.getBean("taskScheduler", TaskExecutor.class));
				assertThat(injected.scheduler()).isSameAs(context.getBean("taskScheduler"));
				assertThat(context.getBean(TaskScheduler.class)).isSameAs(context.getBean("taskScheduler"));
			});
	}

	@Test
	void withVirtualThreadsEnabledABackgroundRunStillRunsOnANamedThread() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			assertThat(context).hasNotFailed();
			RunResult result = context.getBean(DataMigrations.class)
				.runPendingInBackground("test")
				.get(30, TimeUnit.SECONDS);
			assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
			// virtual on Java 21 and later, where Spring Boot's Threading.VIRTUAL is active
			assertThat(ThreadRecordingMigration.threads.get("1")).matches("data-migrate-\\d+");
			assertThat(ThreadRecordingMigration.virtual.get("1")).isEqualTo(Runtime.version().feature() >= 21);
		});
	}

	private static Set<String> liveThreads() {
		return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
	}

	@DataMigration(version = "1", description = "Record the thread it runs on")
	static class ThreadRecordingMigration implements DataMigrationTask {

		static final Map<String, String> threads = new ConcurrentHashMap<>();

		static final Map<String, Boolean> virtual = new ConcurrentHashMap<>();

		static volatile CountDownLatch release = new CountDownLatch(0);

		@Override
		public void migrate(DataMigrationContext context) throws Exception {
			Thread thread = Thread.currentThread();
			virtual.put(context.version(), isVirtual(thread));
			threads.put(context.version(), thread.getName());
			assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
		}

		private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
			try {
				return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
			}
			catch (NoSuchMethodException ex) {
				// Java 17 has platform threads only
				return false;
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnExecutor {

		@Bean
		TaskExecutor dataMigrationTaskExecutor() {
			return new SimpleAsyncTaskExecutor("own-executor-");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class ApplicationScheduling {

		@Bean
		Injected injected(List<TaskExecutor> executors, TaskScheduler scheduler) {
			return new Injected(executors, scheduler);
		}

		/** What an application bean that asks for the executors and "the" scheduler gets. */
		record Injected(List<TaskExecutor> executors, TaskScheduler scheduler) {
		}

	}

}
