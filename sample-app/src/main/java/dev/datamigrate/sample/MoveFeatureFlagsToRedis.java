package dev.datamigrate.sample;

import java.util.HashMap;
import java.util.Map;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Copies every row of {@code feature_flags} to Redis, the flags' new store: one string key a flag,
 * {@code sample.flags.redis-prefix} followed by its name, holding {@code true} or {@code false}. The
 * database's transaction cannot take back a Redis write, so this migration is not transactional: a batch
 * writes its flags before its checkpoint commits, and a run killed in between writes that batch again
 * when it resumes, with the same values. It follows {@link MoveFeatureFlags} rather than changing it,
 * since databases that ran that one would never run it again; the table stays until the old code is gone.
 */
@DataMigration(version = "2026.03.19.1", description = "Move feature flags from feature_flags to Redis",
		transactional = false)
class MoveFeatureFlagsToRedis implements DataMigrationTask {

	private final JdbcTemplate jdbc;

	private final StringRedisTemplate redis;

	private final String prefix;

	MoveFeatureFlagsToRedis(JdbcTemplate jdbc, StringRedisTemplate redis,
			@Value("${sample.flags.redis-prefix}") String prefix) {
		this.jdbc = jdbc;
		this.redis = redis;
		this.prefix = prefix;
	}

	@Override
	public void migrate(DataMigrationContext context) {
		context.batches("feature_flags").key("name", String.class).run((batch) -> {
			Map<String, String> flags = new HashMap<>();
			this.jdbc.query("select name, enabled from feature_flags where name between ? and ?",
					(RowCallbackHandler) (row) -> flags.put(this.prefix + row.getString("name"),
							String.valueOf(row.getBoolean("enabled"))),
					batch.first(), batch.last());
			if (!flags.isEmpty()) {
				// MSET of values read from the table, never INCR or APPEND: a rerun writes the same values
				this.redis.opsForValue().multiSet(flags);
			}
			return flags.size();
		});
	}

}
