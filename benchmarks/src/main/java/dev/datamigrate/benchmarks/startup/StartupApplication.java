package dev.datamigrate.benchmarks.startup;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.metrics.StartupStep;

/**
 * The application of the startup benchmark: the generated {@code @DataMigration} beans, Liquibase with a
 * small changelog, Hikari with its defaults, and the starter unless {@code data-migrate.enabled=false}.
 * JPA is left out (the module has it for another benchmark); nothing else runs at startup.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
@ComponentScan(GeneratedMigrations.PACKAGE)
public class StartupApplication {

	/** The changelog, applied by the preparing start. */
	public static final String CHANGELOG = "classpath:startup-benchmark/changelog.yaml";

	private static final String STARTER_PACKAGE = "dev.datamigrate.";

	private static final String BENCHMARK_PACKAGE = "dev.datamigrate.benchmarks.";

	/**
	 * Start the application, time its startup from Spring's own startup steps, and close it.
	 * @param migrations a class loader that sees the generated migrations
	 * @param args the application's arguments
	 * @return the figures of this start
	 */
	public static Start start(ClassLoader migrations, List<String> args) {
		ClassLoader previous = Thread.currentThread().getContextClassLoader();
		Thread.currentThread().setContextClassLoader(migrations);
		try {
			SpringApplicationBuilder builder = new SpringApplicationBuilder(StartupApplication.class)
				.resourceLoader(new DefaultResourceLoader(migrations))
				.web(WebApplicationType.NONE)
				.bannerMode(Banner.Mode.OFF)
				.registerShutdownHook(false);
			BufferingApplicationStartup startup = new BufferingApplicationStartup(100_000);
			builder.applicationStartup(startup);
			long begin = System.nanoTime();
			Instant started = Instant.now();
			try (ConfigurableApplicationContext context = builder.run(args.toArray(String[]::new))) {
				long toReady = System.nanoTime() - begin;
				return measure(startup.getBufferedTimeline().getEvents(), context.getBeanFactory(), started, toReady);
			}
		}
		finally {
			Thread.currentThread().setContextClassLoader(previous);
		}
	}

	private static Start measure(List<TimelineEvent> events, ConfigurableListableBeanFactory beanFactory,
			Instant begin, long toReady) {
		Instant liquibaseEnd = null;
		Instant started = null;
		long run = 0;
		Map<Long, Long> childNanos = new HashMap<>();
		for (TimelineEvent event : events) {
			Long parent = event.getStartupStep().getParentId();
			if (parent != null) {
				childNanos.merge(parent, event.getDuration().toNanos(), Long::sum);
			}
		}
		long starterBeans = 0;
		for (TimelineEvent event : events) {
			StartupStep step = event.getStartupStep();
			String bean = tag(step, "beanName");
			if (step.getName().equals("spring.beans.instantiate") && "liquibase".equals(bean)) {
				liquibaseEnd = event.getEndTime();
			}
			else if (step.getName().equals("spring.boot.application.started")) {
				started = event.getStartTime();
			}
			else if (step.getName().equals("spring.beans.smart-initialize") && "dataMigrationsStartup".equals(bean)) {
				run = event.getDuration().toNanos();
			}
			if (step.getName().equals("spring.beans.instantiate") && isStarters(beanFactory, bean)) {
				starterBeans += event.getDuration().toNanos() - childNanos.getOrDefault(step.getId(), 0L);
			}
		}
		if (liquibaseEnd == null || started == null) {
			throw new IllegalStateException("The startup steps name no Liquibase bean or no start: " + events.size()
					+ " steps recorded");
		}
		return new Start(Duration.between(begin, started).toNanos(), Duration.between(liquibaseEnd, started).toNanos(),
				run, starterBeans, toReady);
	}

	/**
	 * Whether a bean is one of the starter's own: its class is in the starter's packages.
	 */
	private static boolean isStarters(ConfigurableListableBeanFactory beanFactory, String bean) {
		if (bean == null || !beanFactory.containsBean(bean)) {
			return false;
		}
		Class<?> type = beanFactory.getType(bean, false);
		String name = (type != null) ? type.getName() : "";
		return name.startsWith(STARTER_PACKAGE) && !name.startsWith(BENCHMARK_PACKAGE);
	}

	private static String tag(StartupStep step, String key) {
		for (StartupStep.Tag tag : step.getTags()) {
			if (tag.getKey().equals(key)) {
				return tag.getValue();
			}
		}
		return null;
	}

	/**
	 * What one start took, from Spring's startup steps.
	 *
	 * @param toStarted from the start of {@code SpringApplication.run} to "Started" (the context refreshed)
	 * @param afterLiquibase from the end of the Liquibase bean's creation (its update) to "Started"
	 * @param run the starter's startup run: {@code DataMigrationsStartup} at {@code afterSingletonsInstantiated};
	 * 0 without the starter
	 * @param starterBeans creating the starter's beans, each bean's own time (the beans it made for its
	 * dependencies left out)
	 * @param toReady the whole {@code SpringApplication.run}, to ready
	 */
	public record Start(long toStarted, long afterLiquibase, long run, long starterBeans, long toReady) {

		private static final String PREFIX = "startup-benchmark-result ";

		/**
		 * The figures as one line, for a parent JVM to read.
		 * @return the line
		 */
		public String line() {
			return String.format(Locale.ROOT, "%s%d %d %d %d %d", PREFIX, this.toStarted, this.afterLiquibase, this.run,
					this.starterBeans, this.toReady);
		}

		/**
		 * The figures of a line that {@link #line()} wrote.
		 * @param line a line of a child JVM's output
		 * @return the figures, or {@code null} for another line
		 */
		public static Start parse(String line) {
			if (!line.startsWith(PREFIX)) {
				return null;
			}
			String[] fields = line.substring(PREFIX.length()).trim().split(" ");
			return new Start(Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
					Long.parseLong(fields[3]), Long.parseLong(fields[4]));
		}

	}

}
