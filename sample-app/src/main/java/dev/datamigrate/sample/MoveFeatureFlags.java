package dev.datamigrate.sample;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Copies the {@code feature.*} rows of {@code legacy_settings} into {@code feature_flags}. A few rows
 * need no batches: the statement runs in one transaction with its history record. It skips flags that
 * already exist in the new store, so a flag set there first is kept. The old rows stay until the old
 * code is gone.
 */
@DataMigration(version = "2026.03.12.1", description = "Move feature flags from legacy_settings to feature_flags")
class MoveFeatureFlags implements DataMigrationTask {

	private final JdbcTemplate jdbc;

	MoveFeatureFlags(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void migrate(DataMigrationContext context) {
		int moved = this.jdbc.update("""
				insert into feature_flags (name, enabled)
				select substring(s.setting_key, 9),
					case when lower(s.setting_value) in ('true', 'on', 'yes', '1') then true else false end
				from legacy_settings s
				where s.setting_key like 'feature.%'
					and not exists (select 1 from feature_flags f where f.name = substring(s.setting_key, 9))""");
		// no batches to count for us: report the rows, for the history and the endpoint
		context.progress(moved, moved);
	}

}
