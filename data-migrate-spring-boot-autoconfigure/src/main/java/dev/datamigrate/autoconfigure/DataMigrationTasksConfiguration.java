package dev.datamigrate.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The threads of the starter: background runs on a thread of their own for as long as they last, and
 * the heartbeats of a run (its history row, a lease lock) on a small scheduler of their own, neither
 * shared with the application's {@code applicationTaskExecutor} or {@code taskScheduler}. Virtual threads
 * when the application uses them ({@code spring.threads.virtual.enabled}). An application replaces
 * either with a bean of the same name; both are declared as no default candidate, so that they neither
 * take the place of Spring Boot's own executor and scheduler nor reach injection points that ask for
 * "the" {@code TaskExecutor} or {@code TaskScheduler}.
 */
@Configuration(proxyBeanMethods = false)
class DataMigrationTasksConfiguration {

	/** The name of the executor that background runs use. */
	static final String TASK_EXECUTOR = "dataMigrationTaskExecutor";

	/** The name of the scheduler that the heartbeats of a run use. */
	static final String TASK_SCHEDULER = "dataMigrationTaskScheduler";

	@Bean(name = TASK_EXECUTOR, defaultCandidate = false)
	@ConditionalOnMissingBean(name = TASK_EXECUTOR)
	SimpleAsyncTaskExecutor dataMigrationTaskExecutor(Environment environment) {
		// a thread per run, not a pool's: a backfill holds its thread for as long as it lasts
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("data-migrate-");
		executor.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
		executor.setDaemon(true);
		return executor;
	}

	@Bean(name = TASK_SCHEDULER, defaultCandidate = false)
	@ConditionalOnMissingBean(name = TASK_SCHEDULER)
	ThreadPoolTaskScheduler dataMigrationTaskScheduler(Environment environment) {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		// a run's heartbeat waits for its batch's lock on the history row; the lease's must not wait behind it
		scheduler.setPoolSize(2);
		scheduler.setThreadNamePrefix("data-migrate-heartbeat-");
		scheduler.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
		scheduler.setDaemon(true);
		scheduler.setRemoveOnCancelPolicy(true);
		// heartbeats go on while a stopping run finishes its batch: no early shutdown when the context closes
		scheduler.setAcceptTasksAfterContextClose(true);
		return scheduler;
	}

}
