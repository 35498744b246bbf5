package dev.datamigrate.liquibase;

import java.time.Duration;

import javax.sql.DataSource;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import liquibase.exception.LiquibaseException;
import liquibase.integration.spring.SpringLiquibase;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An application whose Liquibase does not run before the data migrations would: like JHipster's
 * {@code AsyncSpringLiquibase}, it applies the changelog on a thread of its own after a delay
 * ({@code test.liquibase=async}), or it leaves the changelog to another process ({@code external}); or
 * it runs Liquibase as usual ({@code sync}). The data migration needs the column that the slow second
 * changeset adds. {@link #main} starts it in a JVM of its own.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
		"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
@Import(AsyncLiquibaseApplication.Categorize.class)
class AsyncLiquibaseApplication {

	static final String CHANGELOG = "db/changelog/slow-category.yaml";

	static final String CATEGORY_CHANGESET = CHANGELOG + "::products-category::data-migrate";

	public static void main(String[] args) {
		new SpringApplication(AsyncLiquibaseApplication.class).run(args);
	}

	@Bean
	SpringLiquibase liquibase(DataSource dataSource, @Value("${test.liquibase}") String kind,
			@Value("${test.changelog:" + CHANGELOG + "}") String changelog) {
		SpringLiquibase liquibase = kind.equals("async") ? new AsyncLiquibase(Duration.ofSeconds(1)) : new SpringLiquibase();
		liquibase.setDataSource(dataSource);
		liquibase.setChangeLog("classpath:" + changelog);
		liquibase.setShouldRun(!kind.equals("external"));
		return liquibase;
	}

	/**
	 * Runs the update on a thread of its own after a delay, as JHipster's does in its dev profile.
	 */
	static class AsyncLiquibase extends SpringLiquibase {

		private final Duration delay;

		AsyncLiquibase(Duration delay) {
			this.delay = delay;
		}

		@Override
		public void afterPropertiesSet() {
			Thread thread = new Thread(() -> {
				try {
					Thread.sleep(this.delay.toMillis());
					System.out.println("[test] Starting Liquibase asynchronously");
					AsyncLiquibase.super.afterPropertiesSet();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				catch (LiquibaseException ex) {
					throw new IllegalStateException(ex);
				}
			}, "async-liquibase");
			thread.setDaemon(true);
			thread.start();
		}

	}

	@DataMigration(version = "1", description = "Categorize products")
	static class Categorize implements DataMigrationTask {

		private final JdbcTemplate jdbc;

		Categorize(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Override
		public void migrate(DataMigrationContext context) {
			int updated = this.jdbc.update("update products set category = 'books' where category is null");
			context.progress(updated, updated);
		}

	}

}
