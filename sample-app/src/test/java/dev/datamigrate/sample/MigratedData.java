package dev.datamigrate.sample;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.DataMigrations.PostDeployChange;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What the sample's database and Redis hold once its migrations and the post-deploy changeset ran,
 * whatever the database.
 */
final class MigratedData {

	static final String BACKFILL = "2026.03.05.1";

	static final String FLAGS = "2026.03.12.1";

	static final String REDIS_FLAGS = "2026.03.19.1";

	static final String NOT_NULL = "db/changelog/db.changelog-master.yaml::6-notify-log-entries-purpose-not-null::sample";

	private MigratedData() {
	}

	static void assertMigrated(DataMigrations migrations, JdbcTemplate jdbc, TestRedis redis) {
		assertThat(migrations.status().migrations())
			.extracting(MigrationInfo::version, MigrationInfo::status, MigrationInfo::recordsProcessed)
			.containsExactly(tuple(BACKFILL, MigrationStatus.SUCCEEDED, 5000L), tuple(FLAGS, MigrationStatus.SUCCEEDED, 4L),
					tuple(REDIS_FLAGS, MigrationStatus.SUCCEEDED, 4L));
		assertThat(jdbc.queryForObject("select count(*) from notify_log_entries where purpose is null", Long.class))
			.isZero();
		assertThat(jdbc.query("select purpose, count(*) from notify_log_entries group by purpose order by purpose",
				(row, i) -> row.getString(1) + "=" + row.getLong(2)))
			.containsExactly("digest=1667", "security=1666", "transactional=1667");
		assertThat(jdbc.query("select name, enabled from feature_flags order by name",
				(row, i) -> row.getString(1) + "=" + row.getBoolean(2)))
			.containsExactly("beta-search=true", "dark-mode=false", "new-checkout=true", "one-click-refunds=false");
		assertThat(redis.flags()).as("the flags in Redis (%s)", redis)
			.containsExactly(entry("beta-search", "true"), entry("dark-mode", "false"), entry("new-checkout", "true"),
					entry("one-click-refunds", "false"));
		// contract: the post-deploy changeset made purpose NOT NULL after the backfill
		assertThat(migrations.postDeployChanges()).extracting(PostDeployChange::id, PostDeployChange::applied)
			.containsExactly(tuple(NOT_NULL, true));
		assertThat(purposeNullable(jdbc)).as("notify_log_entries.purpose is nullable").isFalse();
	}

	/**
	 * Whether {@code notify_log_entries.purpose} is nullable, as the database's information_schema says.
	 */
	static boolean purposeNullable(JdbcTemplate jdbc) {
		String product = jdbc.execute((ConnectionCallback<String>) (connection) -> connection.getMetaData()
			.getDatabaseProductName());
		String schema = product.contains("MariaDB") || product.contains("MySQL") ? "database()" : "current_schema";
		return "YES".equals(jdbc.queryForObject("select is_nullable from information_schema.columns where table_schema = "
				+ schema + " and lower(table_name) = 'notify_log_entries' and lower(column_name) = 'purpose'",
				String.class));
	}

}
