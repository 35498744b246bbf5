package dev.datamigrate.batch;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.fixtures.Items;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each batch's own transaction on PostgreSQL commits without waiting for the disk flush, and nothing
 * else does; {@code data-migrate.batch.synchronous-commit=true} makes batches wait too. So do the
 * batches of {@code update(sql)}, those that commit in the round trip that sends them included.
 */
class SynchronousCommitTests {

	static final List<String> seen = new CopyOnWriteArrayList<>();

	@Test
	void batchesAndOnlyThemCommitAsynchronouslyByDefault() {
		assertThat(settingsSeen("data-migrate.batch.size=10")).containsExactly("off", "off", "off", "on");
	}

	@Test
	void batchesCommitSynchronouslyWhenAsked() {
		assertThat(settingsSeen("data-migrate.batch.size=10",
				"data-migrate.batch.synchronous-commit=true")).containsExactly("on", "on", "on", "on");
	}

	@Test
	void statementBatchesCommitAsynchronouslyByDefault() {
		// ten batches: the later ones run statements that PgJDBC has server-prepared
		assertThat(settingsSeen("watching.by-statement=true", "data-migrate.batch.size=3"))
			.containsExactly("off", "off", "off", "off", "off", "off", "off", "off", "off", "off", "on");
	}

	@Test
	void statementBatchesCommitSynchronouslyWhenAsked() {
		assertThat(settingsSeen("watching.by-statement=true", "data-migrate.batch.size=3",
				"data-migrate.batch.synchronous-commit=true"))
			.containsExactly("on", "on", "on", "on", "on", "on", "on", "on", "on", "on", "on");
	}

	/**
	 * The setting each batch committed with, then the one a statement after the batches saw.
	 */
	private static List<String> settingsSeen(String... properties) {
		seen.clear();
		Items.changeEachOnceOnPostgres(30, Watching.class, properties);
		return List.copyOf(seen);
	}

	@Configuration(proxyBeanMethods = false)
	@Import(Watching.Migration.class)
	static class Watching {

		/**
		 * Walks the items by a handler that reads the setting before each commit or, with
		 * {@code watching.by-statement=true}, by a statement that records the setting in each row it changes:
		 * the starter makes the setting before a batch's statement.
		 */
		@DataMigration(version = "1", transactional = false)
		static class Migration implements DataMigrationTask {

			private final JdbcTemplate jdbc;

			private final boolean byStatement;

			Migration(JdbcTemplate jdbc, @Value("${watching.by-statement:false}") boolean byStatement) {
				this.jdbc = jdbc;
				this.byStatement = byStatement;
			}

			@Override
			public void migrate(DataMigrationContext context) {
				if (this.byStatement) {
					context.batches("items")
						.update("update items set changes = changes + 1, changed_by = current_setting('synchronous_commit') "
								+ "where id between :first and :last");
					seen.addAll(this.jdbc.queryForList("select changed_by from items where mod(id, 3) = 1 order by id",
							String.class));
				}
				else {
					context.batches("items").run((batch) -> {
						TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
							@Override
							public void beforeCommit(boolean readOnly) {
								seen.add(setting());
							}
						});
						return this.jdbc.update("update items set changes = changes + 1 where id between ? and ?",
								batch.first(), batch.last());
					});
				}
				seen.add(setting());
			}

			private String setting() {
				return this.jdbc.queryForObject("show synchronous_commit", String.class);
			}

		}

	}

}
