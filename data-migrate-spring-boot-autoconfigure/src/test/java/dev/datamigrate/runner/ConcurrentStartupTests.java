package dev.datamigrate.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.datamigrate.database.Database;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.fixtures.BodyRuns;
import dev.datamigrate.fixtures.FiveMigrations;
import dev.datamigrate.history.MigrationHistory;
import dev.datamigrate.history.HistoryRecord;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten instances of an application start at once against one database with five pending migrations.
 */
class ConcurrentStartupTests {

	private static final int INSTANCES = 10;

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void tenInstancesStartingAtOnceRunEachMigrationExactlyOnce(TestDatabase.Kind kind) throws Exception {
		try (TestDatabase database = TestDatabase.create(kind)) {
			CountDownLatch ready = new CountDownLatch(INSTANCES);
			ExecutorService instances = Executors.newFixedThreadPool(INSTANCES);
			List<Future<Boolean>> started = new ArrayList<>();
			for (int i = 0; i < INSTANCES; i++) {
				started.add(instances.submit(() -> {
					ready.countDown();
					ready.await();
					boolean[] healthy = new boolean[1];
					MigrationContexts.jdbc(database)
						.withUserConfiguration(FiveMigrations.class)
						.withPropertyValues("spring.datasource.hikari.maximum-pool-size=3")
						.run((context) -> healthy[0] = context.getStartupFailure() == null);
					return healthy[0];
				}));
			}
			instances.shutdown();
			assertThat(instances.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
			for (Future<Boolean> instance : started) {
				assertThat(instance.get()).as("instance started").isTrue();
			}
			try (var dataSource = database.dataSource()) {
				JdbcTemplate jdbc = new JdbcTemplate(dataSource);
				assertThat(BodyRuns.counts(jdbc)).isEqualTo(Map.of("1.2", 1, "1_3_1", 1, "1.9", 1, "1.10", 1, "2", 1));
				List<HistoryRecord> history = new MigrationHistory(dataSource, Database.of(dataSource), "data_migrations").findAll();
				assertThat(history).hasSize(5)
					.allSatisfy((record) -> {
						assertThat(record.status()).isEqualTo(MigrationStatus.SUCCEEDED);
						assertThat(record.attempts()).isOne();
					});
			}
		}
	}

}
