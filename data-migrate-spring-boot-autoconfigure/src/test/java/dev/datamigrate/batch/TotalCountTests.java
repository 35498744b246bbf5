package dev.datamigrate.batch;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationStatus;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import dev.datamigrate.testsupport.Wrapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL a walk counts its total on a connection of its own while its first batches run, in a
 * snapshot taken before them: it counts the rows as they were, however many batches commit meanwhile.
 */
@ExtendWith(OutputCaptureExtension.class)
class TotalCountTests {

	/** The thread of each connection request. */
	static final List<String> connectingThreads = new CopyOnWriteArrayList<>();

	@Test
	void aCountThatEndsAfterTheBatchesCountsTheRowsAsTheyWereBeforeTheWalk(CapturedOutput output) {
		connectingThreads.clear();
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				var dataSource = database.dataSource()) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Items.create(jdbc, TestDatabase.Kind.POSTGRESQL, 25);
			MigrationContexts.jdbc(database)
				.withUserConfiguration(SlowlyCounted.class)
				.withPropertyValues("data-migrate.on-startup=skip")
				.run((context) -> {
					DataMigrations migrations = context.getBean(DataMigrations.class);
					migrations.runPending();
					MigrationInfo done = migrations.status().find("1").orElseThrow();
					assertThat(done.status()).isEqualTo(MigrationStatus.SUCCEEDED);
					assertThat(done.recordsTotal()).as("rows that matched the filter before the walk").isEqualTo(25);
					assertThat(done.recordsProcessed()).isEqualTo(25);
				});
			assertThat(connectingThreads).as("the count ran beside the batches").contains("data-migrate-count-items");
			List<String> events = output.getOut()
				.lines()
				.filter((line) -> line.contains("data_migration_start") || line.contains("data_migration_batch "))
				.toList();
			assertThat(events).as("the start with the total, then the batches held back while it was counted")
				.hasSize(6)
				.first()
				.asString()
				.contains("data_migration_start", "total_records=25", "total_batches=5");
			assertThat(events.subList(1, 6)).allMatch((line) -> line.contains("total_batches=5"));
			assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, 25));
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(SlowlyCounted.Migration.class)
	static class SlowlyCounted {

		@Bean
		static BeanPostProcessor recordingDataSource() {
			return Wrapping.dataSources((dataSource) -> {
				connectingThreads.add(Thread.currentThread().getName());
				Connection connection = dataSource.getConnection();
				return Thread.currentThread().getName().startsWith("data-migrate-count-") ? slowToQuery(connection)
						: connection;
			});
		}

		/**
		 * A connection whose statements wait half a second before each query, by when every batch has
		 * committed.
		 */
		private static Connection slowToQuery(Connection connection) {
			return proxy(Connection.class, connection, (method, args) -> {
				Object result = method.invoke(connection, args);
				return (result instanceof Statement statement) ? proxy(Statement.class, statement, (call, callArgs) -> {
					if (call.getName().equals("executeQuery")) {
						Thread.sleep(500);
					}
					return call.invoke(statement, callArgs);
				}) : result;
			});
		}

		@SuppressWarnings("unchecked")
		private static <T> T proxy(Class<T> type, T target, Call call) {
			return (T) Proxy.newProxyInstance(TotalCountTests.class.getClassLoader(), new Class<?>[] { type },
					(self, method, args) -> {
						try {
							return call.invoke(method, args);
						}
						catch (InvocationTargetException ex) {
							throw ex.getCause();
						}
					});
		}

		@FunctionalInterface
		private interface Call {

			Object invoke(Method method, Object[] args) throws Throwable;

		}

		/**
		 * Walks items that leave its filter as they change, five at a time.
		 */
		@DataMigration(version = "1", transactional = false)
		static class Migration implements DataMigrationTask {

			@Override
			public void migrate(DataMigrationContext context) {
				context.batches("items")
					.where("changes = 0")
					.size(5)
					.update("update items set changes = changes + 1 where id between :first and :last");
			}

		}

	}

}
