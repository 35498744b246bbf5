package dev.datamigrate.sample;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Fills the {@code purpose} column that Liquibase added to a table of existing rows. Batches keep each
 * transaction short on a large table, and a crashed run resumes after its last committed batch.
 */
@DataMigration(version = "2026.03.05.1", description = "Backfill purpose on notify_log_entries")
class BackfillNotifyLogPurpose implements DataMigrationTask {

	private final JdbcTemplate jdbc;

	BackfillNotifyLogPurpose(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void migrate(DataMigrationContext context) throws Exception {
		// batches of data-migrate.batch.size rows, throttled by data-migrate.batch.pause
		context.batches("notify_log_entries").where("purpose is null").run((batch) -> this.jdbc.update("""
				update notify_log_entries
				set purpose = case
					when message like 'Password reset%' then 'security'
					when message like 'Order %' then 'transactional'
					else 'digest' end
				where id between ? and ? and purpose is null""", batch.first(), batch.last()));
	}

}
