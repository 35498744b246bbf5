package dev.datamigrate.benchmarks.starter;

import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.Batches;
import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationListener;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.RunResult;
import dev.datamigrate.benchmarks.Result;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Way (b): a Spring Boot application with the whole starter (its auto-configuration, Hikari, a
 * {@code DataSourceTransactionManager}) and one batched {@link DataMigration}, run through
 * {@link DataMigrations#runPending()}. JPA is left out so that the transaction manager is the plain JDBC one.
 * The application is started once and runs the migration again after each reset of the tables, as a
 * running service would run a post-deploy migration.
 */
@SpringBootApplication(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
public class StarterBenchmark implements AutoCloseable {

	static final String UPDATE_RANGE = "update notify_log_entries set purpose = 'unknown' "
			+ "where purpose is null and id between ? and ?";

	static final String UPDATE_BATCH = "update notify_log_entries set purpose = 'unknown' "
			+ "where purpose is null and id between :first and :last";

	private final ConfigurableApplicationContext context;

	private StarterBenchmark(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Start the application, and wait until its connection pool is full.
	 * @param datasourceArgs {@code --spring.datasource...} arguments
	 * @param logFile where the starter's events are logged
	 * @param settings more {@code --data-migrate...} arguments
	 * @return the running application
	 */
	public static StarterBenchmark start(List<String> datasourceArgs, String logFile, String... settings) {
		List<String> args = new ArrayList<>(datasourceArgs);
		args.addAll(List.of(settings));
		args.add("--data-migrate.on-startup=skip");
		args.add("--logging.level.root=WARN");
		args.add("--logging.level.dev.datamigrate=INFO");
		args.add("--logging.file.name=" + logFile);
		args.add("--logging.threshold.console=WARN");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(StarterBenchmark.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.run(args.toArray(String[]::new));
		awaitFullPool(context.getBean(HikariDataSource.class));
		return new StarterBenchmark(context);
	}

	/**
	 * Run the pending migration (the backfill) and time it. The history table must have been dropped
	 * before, so that the migration is pending again.
	 * @param size fixed batch size, or {@code null} for the starter's default (batches sized by time)
	 * @param byStatement whether the batches run {@code update(sql)} instead of a handler
	 * @return the result; batch times are the times between consecutive batch commits
	 */
	public Result run(Integer size, boolean byStatement) {
		BackfillPurpose backfill = this.context.getBean(BackfillPurpose.class);
		backfill.reset(size, byStatement);
		DataMigrations migrations = this.context.getBean(DataMigrations.class);
		long start = System.nanoTime();
		RunResult result = migrations.runPending();
		long nanos = System.nanoTime() - start;
		if (result.outcome() != RunResult.Outcome.COMPLETED || !result.applied().equals(List.of("1"))) {
			throw new IllegalStateException("The backfill did not complete: " + result, result.error());
		}
		MigrationInfo done = migrations.status().find("1").orElseThrow();
		if (done.recordsTotal() == null || done.recordsTotal() != done.recordsProcessed()) {
			throw new IllegalStateException("The backfill counted a total of " + done.recordsTotal() + " and processed "
					+ done.recordsProcessed());
		}
		return new Result(backfill.changed, nanos, backfill.batchTimes(), backfill.batchRows());
	}

	/**
	 * The user's throttle of an application started with {@code --benchmark.latency-throttle=true}.
	 * @return the throttle
	 */
	public LatencyThrottle latencyThrottle() {
		return this.context.getBean(LatencyThrottle.class);
	}

	/**
	 * The counter {@code data.migration.throttled.duration} of the backfill so far, in an application started
	 * with {@code --benchmark.latency-throttle=true} (the others have no meter registry).
	 * @return seconds held back by a throttle
	 */
	public double heldSeconds() {
		Counter counter = this.context.getBean(MeterRegistry.class)
			.find("data.migration.throttled.duration")
			.tag("version", "1")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * What the application of the traffic part's run (iii) adds: a user's throttle bean, and a meter registry
	 * so that the starter's metrics count the time it held the backfill.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("benchmark.latency-throttle")
	static class LatencyThrottleConfiguration {

		@Bean
		LatencyThrottle latencyThrottle() {
			return new LatencyThrottle();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	/**
	 * Wait until Hikari has opened all its connections, which it does on a thread of its own after
	 * start-up: a service's pool is full long before a post-deploy run, and opening connections (a
	 * server process each) while the run is timed would be charged to the starter.
	 */
	private static void awaitFullPool(HikariDataSource dataSource) {
		new JdbcTemplate(dataSource).execute("select 1");
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (dataSource.getHikariPoolMXBean().getIdleConnections() < dataSource.getMaximumPoolSize()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Hikari did not open " + dataSource.getMaximumPoolSize() + " connections");
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/**
	 * The migration of SPEC.md, as a user writes it, plus a clock: as a {@link DataMigrationListener} it
	 * notes when each batch has committed, and its records.
	 */
	@DataMigration(version = "1", description = "Backfill purpose on notify_log_entries")
	static class BackfillPurpose implements DataMigrationTask, DataMigrationListener {

		private final JdbcTemplate jdbc;

		private final List<Long> commits = new ArrayList<>();

		private final List<Long> records = new ArrayList<>();

		private Integer size;

		private boolean byStatement;

		private long changed;

		BackfillPurpose(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		void reset(Integer size, boolean byStatement) {
			this.size = size;
			this.byStatement = byStatement;
			this.changed = 0;
			this.commits.clear();
			this.records.clear();
		}

		@Override
		public void migrate(DataMigrationContext context) throws Exception {
			Batches<Long> batches = context.batches("notify_log_entries").key("id", Long.class).where("purpose is null");
			if (this.size != null) {
				batches.size(this.size);
			}
			this.changed = this.byStatement ? batches.update(UPDATE_BATCH)
					: batches.run((batch) -> this.jdbc.update(UPDATE_RANGE, batch.first(), batch.last()));
		}

		@Override
		public void batchCommitted(String version, int records) {
			this.commits.add(System.nanoTime());
			this.records.add((long) records);
		}

		/** From each batch's commit to the next one's. */
		long[] batchTimes() {
			long[] times = new long[Math.max(0, this.commits.size() - 1)];
			for (int i = 0; i < times.length; i++) {
				times[i] = this.commits.get(i + 1) - this.commits.get(i);
			}
			return times;
		}

		long[] batchRows() {
			return this.records.stream().mapToLong(Long::longValue).toArray();
		}

	}

}
