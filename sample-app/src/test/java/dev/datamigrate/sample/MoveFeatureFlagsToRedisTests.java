package dev.datamigrate.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.RunResult;
import dev.datamigrate.testsupport.JavaProcess;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link MoveFeatureFlagsToRedis} on PostgreSQL with thousands of flags, each test in a schema and under
 * a Redis key prefix of its own: a run killed with SIGKILL loses no flag once the next run resumes it,
 * and a second run over flags already in Redis leaves them as they are.
 */
class MoveFeatureFlagsToRedisTests {

	/** Flags added to the changelog's four, as {@code feature.*} rows of legacy_settings. */
	private static final int ADDED_FLAGS = 5000;

	private static final int ALL_FLAGS = ADDED_FLAGS + 4;

	private final TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);

	private final TestRedis redis = TestRedis.create();

	private final HikariDataSource dataSource = this.database.dataSource();

	private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

	private Process instance;

	@AfterEach
	void close() throws InterruptedException {
		if (this.instance != null) {
			this.instance.destroyForcibly();
			this.instance.waitFor(30, TimeUnit.SECONDS);
		}
		this.dataSource.close();
		this.redis.close();
		this.database.close();
	}

	@Test
	void aRunKilledMidwayIsResumedByTheNextAndNoFlagIsLost() throws Exception {
		schemaWithFlags();
		// 51 batches of flags, 100 ms apart: seconds in which to kill the instance between them
		Path killedLog = log("killed");
		this.instance = JavaProcess.start(killedLog, SampleApplication.class,
				arguments("--data-migrate.batch.size=100", "--data-migrate.batch.pause=100ms"));
		await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50)).until(() -> {
			Progress progress = progress();
			assertThat(progress.status()).as("the flag migration, before the kill; see %s", killedLog)
				.isNotEqualTo("SUCCEEDED");
			assertThat(this.instance.isAlive()).as("the instance to kill is alive; see %s", killedLog).isTrue();
			return progress.processed() >= 300;
		});
		this.instance.destroyForcibly();
		assertThat(this.instance.waitFor(30, TimeUnit.SECONDS)).as("died of SIGKILL within 30 s").isTrue();
		assertThat(this.instance.exitValue()).as("exit code of SIGKILL").isEqualTo(128 + 9);
		Progress atKill = progress();
		int keysAtKill = this.redis.count();
		System.out.printf("[test] killed with %d of %d flags committed (checkpoint %s), %d keys in Redis%n",
				atKill.processed(), ALL_FLAGS, atKill.checkpoint(), keysAtKill);
		assertThat(atKill.status()).isEqualTo("RUNNING");
		assertThat(atKill.processed()).isBetween(300L, ALL_FLAGS - 1L);
		// a batch writes Redis before its checkpoint commits: at most one batch more than committed
		assertThat(keysAtKill).as("keys in Redis at the kill").isBetween((int) atKill.processed(), ALL_FLAGS - 1);

		Path resumedLog = log("resumed");
		this.instance = JavaProcess.start(resumedLog, SampleApplication.class, arguments("--data-migrate.batch.pause=0ms"));
		assertThat(this.instance.waitFor(180, TimeUnit.SECONDS)).as("the next instance exits within 180 s; see %s",
				resumedLog).isTrue();
		assertThat(this.instance.exitValue()).as("exit code of run-and-exit; see %s", resumedLog).isZero();
		// it went on after the last committed batch, not from the first flag
		assertThat(Files.readString(resumedLog)).as("the next instance's log, %s", resumedLog)
			.containsPattern("data_migration_resumed .*version=" + Pattern.quote(MigratedData.REDIS_FLAGS)
					+ " checkpoint=\"?" + Pattern.quote(atKill.checkpoint()))
			.containsPattern("data_migration_finish .*version=" + Pattern.quote(MigratedData.REDIS_FLAGS)
					+ " .*records_updated=" + (ALL_FLAGS - atKill.processed()) + "\\b");
		Progress done = progress();
		assertThat(done.status()).isEqualTo("SUCCEEDED");
		assertThat(done.attempts()).isEqualTo(2);
		assertThat(done.processed()).isEqualTo(ALL_FLAGS);
		Map<String, String> flags = flagsInTheDatabase();
		assertThat(flags).hasSize(ALL_FLAGS);
		assertThat(this.redis.flags()).as("the flags in Redis (%s)", this.redis).isEqualTo(flags);
	}

	@Test
	void runningTheMigrationAgainLeavesEveryFlagInRedisAsItWas() {
		schemaWithFlags();
		try (ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
				inProcess("--data-migrate.on-startup=run", "--data-migrate.batch.size=100"))) {
			Map<String, String> first = this.redis.flags();
			assertThat(first).as("the flags in Redis after the first run").isEqualTo(flagsInTheDatabase()).hasSize(ALL_FLAGS);
			// the history forgets the first run, so the next one moves every flag again from the first
			this.jdbc.update("delete from data_migrations where version = ?", MigratedData.REDIS_FLAGS);
			RunResult second = context.getBean(DataMigrations.class).runPending();
			assertThat(second.applied()).containsExactly(MigratedData.REDIS_FLAGS);
			Progress progress = progress();
			assertThat(progress.status()).isEqualTo("SUCCEEDED");
			assertThat(progress.processed()).as("flags the second run wrote again").isEqualTo(ALL_FLAGS);
			assertThat(this.redis.flags()).as("the flags in Redis after the second run").isEqualTo(first);
		}
	}

	/**
	 * Let the sample's changelog make the schema, running no migration, and add flags to legacy_settings
	 * for its migrations to move.
	 */
	private void schemaWithFlags() {
		SpringApplication.run(SampleApplication.class, inProcess("--data-migrate.on-startup=skip")).close();
		this.jdbc.update("""
				insert into legacy_settings (setting_key, setting_value)
				select 'feature.flag-' || lpad(n::text, 5, '0'),
					(array['true', 'on', 'false', '0', 'yes', 'off'])[n % 6 + 1]
				from generate_series(1, ?) n""", ADDED_FLAGS);
	}

	/**
	 * Arguments of an instance in a JVM of its own that runs the migrations and exits.
	 */
	private List<String> arguments(String... more) {
		List<String> all = new ArrayList<>(this.database.arguments());
		all.addAll(this.redis.arguments());
		all.addAll(List.of("--data-migrate.on-startup=run-and-exit", "--spring.main.banner-mode=off"));
		all.addAll(List.of(more));
		return all;
	}

	private String[] inProcess(String... more) {
		List<String> all = new ArrayList<>(this.database.arguments());
		all.addAll(this.redis.arguments());
		all.addAll(List.of("--spring.main.web-application-type=none", "--spring.main.banner-mode=off",
				"--data-migrate.batch.pause=0ms"));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	private Path log(String label) throws Exception {
		Path directory = Path.of(System.getProperty("basedir", "."), "target", "child-jvms");
		Files.createDirectories(directory);
		Path log = directory.resolve("redis-flags-" + this.database.name() + "-" + label + ".out");
		System.out.println("[test] the " + label + " instance logs to " + log);
		return log;
	}

	private Progress progress() {
		// the starter makes its history table when it first runs
		if (!this.jdbc.queryForObject("select to_regclass('data_migrations') is not null", Boolean.class)) {
			return new Progress("none", 0, null, 0);
		}
		List<Progress> rows = this.jdbc.query(
				"select status, records_processed, checkpoint, attempts from data_migrations where version = ?",
				(row, i) -> new Progress(row.getString(1), row.getLong(2), row.getString(3), row.getInt(4)),
				MigratedData.REDIS_FLAGS);
		return rows.isEmpty() ? new Progress("none", 0, null, 0) : rows.get(0);
	}

	private Map<String, String> flagsInTheDatabase() {
		Map<String, String> flags = new TreeMap<>();
		this.jdbc.query("select name, enabled from feature_flags", (RowCallbackHandler) (row) -> flags
			.put(row.getString("name"), String.valueOf(row.getBoolean("enabled"))));
		return flags;
	}

	private record Progress(String status, long processed, String checkpoint, int attempts) {

	}

}
