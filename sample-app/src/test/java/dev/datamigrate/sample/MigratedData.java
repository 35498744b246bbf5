package dev.datamigrate.sample;

import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationStatus;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What the sample's database holds once both migrations ran, whatever the database.
 */
final class MigratedData {

	private MigratedData() {
	}

	static void assertMigrated(DataMigrations migrations, JdbcTemplate jdbc) {
		assertThat(migrations.status().migrations())
			.extracting(MigrationInfo::version, MigrationInfo::status, MigrationInfo::recordsProcessed)
			.containsExactly(tuple("2026.03.05.1", MigrationStatus.SUCCEEDED, 5000L),
					tuple("2026.03.12.1", MigrationStatus.SUCCEEDED, 4L));
		assertThat(jdbc.queryForObject("select count(*) from notify_log_entries where purpose is null", Long.class))
			.isZero();
		assertThat(jdbc.query("select purpose, count(*) from notify_log_entries group by purpose order by purpose",
				(row, i) -> row.getString(1) + "=" + row.getLong(2)))
			.containsExactly("digest=1667", "security=1666", "transactional=1667");
		assertThat(jdbc.query("select name, enabled from feature_flags order by name",
				(row, i) -> row.getString(1) + "=" + row.getBoolean(2)))
			.containsExactly("beta-search=true", "dark-mode=false", "new-checkout=true", "one-click-refunds=false");
	}

}
