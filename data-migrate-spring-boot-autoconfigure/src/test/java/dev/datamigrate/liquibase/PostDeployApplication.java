package dev.datamigrate.liquibase;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Expand, migrate, contract: Liquibase adds a nullable {@code purpose}, a data migration backfills it,
 * a post-deploy changeset makes it NOT NULL. The backfill fails while {@link #BROKEN} is set.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
		"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
@Import(PostDeployApplication.BackfillPurpose.class)
class PostDeployApplication {

	static final AtomicBoolean BROKEN = new AtomicBoolean();

	static final String CHANGELOG = "classpath:db/changelog/post-deploy.yaml";

	@DataMigration(version = "2026.03.05.1", description = "Backfill purpose on notify_log_entries")
	static class BackfillPurpose implements DataMigrationTask {

		private final JdbcTemplate jdbc;

		BackfillPurpose(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Override
		public void migrate(DataMigrationContext context) throws Exception {
			if (BROKEN.get()) {
				throw new IllegalStateException("purpose service unreachable");
			}
			context.batches("notify_log_entries")
				.where("purpose is null")
				.size(3)
				.run((batch) -> this.jdbc.update(
						"update notify_log_entries set purpose = 'unknown' where id between ? and ? and purpose is null",
						batch.first(), batch.last()));
		}

	}

}
