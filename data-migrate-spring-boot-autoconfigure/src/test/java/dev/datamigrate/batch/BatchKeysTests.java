package dev.datamigrate.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.datamigrate.Batches.Batch;
import dev.datamigrate.Batches;
import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keyset batches over String and UUID keys, with a filter that also counts the total, and a throttle
 * set per call.
 */
class BatchKeysTests {

	static final List<List<Object>> batches = new ArrayList<>();

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void stringKeysWithAFilter(TestDatabase.Kind kind) throws Exception {
		batches.clear();
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table flags (name varchar(20) primary key, enabled integer, moved integer default 0)");
			for (int i = 0; i < 25; i++) {
				jdbc.update("insert into flags (name, enabled) values (?, ?)", String.format("flag-%02d", i), i % 2);
			}
			MigrationContexts.jdbc(database).withUserConfiguration(StringKeys.class).run((context) -> {
				assertThat(context).hasNotFailed();
				MigrationInfo done = context.getBean(DataMigrations.class).status().find("1").orElseThrow();
				assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
				assertThat(done.recordsTotal()).isEqualTo(12);
				assertThat(done.recordsProcessed()).isEqualTo(12);
				assertThat(done.batchesDone()).as("ranges of five names").isEqualTo(5);
				assertThat(done.checkpoint()).isEqualTo("flag-24");
			});
			assertThat(batches).as("the enabled flags of each range").containsExactly(List.of("flag-01", "flag-03"),
					List.of("flag-05", "flag-07", "flag-09"), List.of("flag-11", "flag-13"),
					List.of("flag-15", "flag-17", "flag-19"), List.of("flag-21", "flag-23"));
			assertThat(jdbc.queryForObject("select count(*) from flags where moved = 1", Integer.class)).isEqualTo(12);
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void aHandlerOverNumericKeysGetsTheKeysOfTheBatchesItAsksThemOf(TestDatabase.Kind kind) {
		batches.clear();
		try (TestDatabase database = TestDatabase.create(kind); var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, kind, 40);
			MigrationContexts.jdbc(database).withUserConfiguration(KeysOfAllButTheSecondBatch.class).run((context) -> {
				assertThat(context).hasNotFailed();
				MigrationInfo done = context.getBean(DataMigrations.class).status().find("1").orElseThrow();
				assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
				assertThat(done.recordsProcessed()).isEqualTo(27);
			});
			// ranges of five ids, 1 to 40: the ids but multiples of 3 of batches 1 and 3 to 8
			assertThat(batches).containsExactly(List.of(1L, 2L, 4L, 5L), List.of(11L, 13L, 14L),
					List.of(16L, 17L, 19L, 20L), List.of(22L, 23L, 25L), List.of(26L, 28L, 29L),
					List.of(31L, 32L, 34L, 35L), List.of(37L, 38L, 40L));
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(0, 13, 1, 27));
		}
	}

	@Test
	void uuidKeysOnPostgresqlThrottledPerCall() throws Exception {
		batches.clear();
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table sessions (id uuid primary key, closed boolean default false)");
			jdbc.execute("create table batch_times (batch bigint, at timestamp default clock_timestamp())");
			for (int i = 0; i < 30; i++) {
				jdbc.update("insert into sessions (id) values (?)", UUID.randomUUID());
			}
			List<UUID> sorted = jdbc.queryForList("select id from sessions order by id", UUID.class);
			MigrationContexts.jdbc(database).withUserConfiguration(UuidKeys.class).run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(DataMigrations.class).status().find("1").orElseThrow().checkpoint())
					.isEqualTo(sorted.get(29).toString());
			});
			assertThat(batches).hasSize(3).flatExtracting((batch) -> batch).containsExactlyElementsOf(sorted);
			List<java.sql.Timestamp> batchEnds = jdbc.queryForList("select min(at) from batch_times group by batch order by 1",
					java.sql.Timestamp.class);
			assertThat(Duration.between(batchEnds.get(0).toInstant(), batchEnds.get(2).toInstant()))
				.as("two pauses of 300ms between three batches")
				.isGreaterThanOrEqualTo(Duration.ofMillis(600));
			assertThat(jdbc.queryForObject("select count(*) from sessions where closed", Integer.class)).isEqualTo(30);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "name", "id" })
	void statementBatchesOverStringAndUuidKeysOnPostgresql(String column) {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table tokens (name varchar(20) primary key, id uuid unique not null, used integer default 0)");
			for (int i = 0; i < 20; i++) {
				jdbc.update("insert into tokens (name, id) values (?, ?)", String.format("token-%02d", i), UUID.randomUUID());
			}
			String last = jdbc.queryForObject("select " + column + "::text from tokens order by " + column + " desc limit 1",
					String.class);
			MigrationContexts.jdbc(database)
				.withUserConfiguration(StatementKeys.class)
				.withPropertyValues("tokens.key=" + column)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					MigrationInfo done = context.getBean(DataMigrations.class).status().find("1").orElseThrow();
					assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
					assertThat(done.batchesDone()).as("past PgJDBC's threshold for server-prepared statements")
						.isEqualTo(10);
					assertThat(done.checkpoint()).isEqualTo(last);
				});
			assertThat(jdbc.queryForList("select used from tokens", Integer.class)).hasSize(20).containsOnly(1);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(StatementKeys.Migration.class)
	static class StatementKeys {

		/**
		 * Walks the tokens two at a time by their name or their id, as {@code tokens.key} says, from the
		 * transaction of a transactional migration, which its batches leave aside.
		 */
		@DataMigration(version = "1")
		static class Migration implements DataMigrationTask {

			private final String key;

			Migration(@Value("${tokens.key}") String key) {
				this.key = key;
			}

			@Override
			public void migrate(DataMigrationContext context) {
				Batches<?> batches = this.key.equals("id") ? context.batches("tokens").key("id", UUID.class)
						: context.batches("tokens").key("name", String.class);
				batches.size(2)
					.update(this.key.equals("id") ? "update tokens set used = used + 1 where id in (:keys)"
							: "update tokens set used = used + 1 where name between :first and :last");
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(KeysOfAllButTheSecondBatch.Migration.class)
	static class KeysOfAllButTheSecondBatch {

		@DataMigration(version = "1", transactional = false)
		static class Migration implements DataMigrationTask {

			private final JdbcTemplate jdbc;

			Migration(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			@Override
			public void migrate(DataMigrationContext context) {
				context.batches("items").where("mod(id, 3) <> 0").size(5).run((batch) -> {
					if (batch.number() != 2) {
						assertThat(batch.keys()).hasSize(batch.size())
							.allMatch((key) -> key >= batch.first() && key <= batch.last());
						batches.add(new ArrayList<>(batch.keys()));
					}
					return this.jdbc.update("update items set changes = changes + 1 where id between ? and ? and "
							+ "mod(id, 3) <> 0", batch.first(), batch.last());
				});
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(StringKeys.Migration.class)
	static class StringKeys {

		@DataMigration(version = "1")
		static class Migration implements DataMigrationTask {

			private final JdbcTemplate jdbc;

			Migration(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			@Override
			public void migrate(DataMigrationContext context) throws Exception {
				context.batches("flags").key("name", String.class).where("enabled = 1").size(5).run((batch) -> {
					batches.add(new ArrayList<>(batch.keys()));
					return this.jdbc.update("update flags set moved = moved + 1 where name between ? and ? and enabled = 1",
							batch.first(), batch.last());
				});
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(UuidKeys.Migration.class)
	static class UuidKeys {

		@DataMigration(version = "1")
		static class Migration implements DataMigrationTask {

			private final JdbcTemplate jdbc;

			Migration(JdbcTemplate jdbc) {
				this.jdbc = jdbc;
			}

			@Override
			public void migrate(DataMigrationContext context) throws Exception {
				context.batches("sessions").key("id", UUID.class).size(10).pause(Duration.ofMillis(300)).run((batch) -> {
					batches.add(new ArrayList<>(batch.keys()));
					this.jdbc.update("insert into batch_times (batch) values (?)", batch.number());
					return closeAll(batch);
				});
			}

			private int closeAll(Batch<UUID> batch) {
				return this.jdbc.update("update sessions set closed = true where id between ? and ?", batch.first(),
						batch.last());
			}

		}

	}

}
