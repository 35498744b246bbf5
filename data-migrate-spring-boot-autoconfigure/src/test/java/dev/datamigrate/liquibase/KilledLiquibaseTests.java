package dev.datamigrate.liquibase;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.testsupport.JavaProcess;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance SIGKILLed while its Liquibase holds the changelog lock, in the middle of a changeset that
 * sleeps for a minute, leaves nothing to unlock: the next instance applies the changelog within seconds.
 */
class KilledLiquibaseTests {

	private final TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);

	private final HikariDataSource dataSource = this.database.dataSource();

	private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

	private Process killed;

	@AfterEach
	void stop() {
		if (this.killed != null) {
			this.killed.destroyForcibly();
		}
		this.dataSource.close();
		this.database.close();
	}

	@Test
	void theNextInstanceAppliesTheChangelogWithinSecondsOfTheLockHoldersDeath() throws Exception {
		this.killed = startInstanceThatSleepsInItsChangeset();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.jdbc.queryForObject("select count(*) from pg_stat_activity where query like "
					+ "'select pg_sleep(coalesce(%' and state = 'active' and exists (select 1 from pg_locks where "
					+ "pg_locks.pid = pg_stat_activity.pid and locktype = 'advisory' and granted)", Integer.class) == 1);
		this.killed.destroyForcibly();
		assertThat(this.killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
		long killedAt = System.nanoTime();
		try (ConfigurableApplicationContext next = new SpringApplication(AsyncLiquibaseApplication.class)
			.run(arguments("--test.liquibase=sync", "--test.changelog=db/changelog/sleeping.yaml"))) {
			Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
			System.out.println("[test] the next instance applied the changelog " + took.toMillis() + " ms after the kill");
			assertThat(took).isLessThan(Duration.ofSeconds(20));
			assertThat(next.getBean(DataMigrations.class).status().find("1").orElseThrow().status())
				.isEqualTo(MigrationStatus.SUCCEEDED);
		}
		assertThat(this.jdbc.queryForList("select id from databasechangelog order by orderexecuted", String.class))
			.containsExactly("products", "products-category");
		assertThat(this.jdbc.queryForList("select table_name from information_schema.tables where table_schema = ? "
				+ "and table_name = 'databasechangeloglock'", String.class, this.database.name()))
			.as("Liquibase's lock table, which a killed instance would leave locked")
			.isEmpty();
	}

	/**
	 * An instance in a JVM of its own whose session sleeps for a minute in the second changeset.
	 */
	private Process startInstanceThatSleepsInItsChangeset() throws Exception {
		Path log = Files.createTempFile("killed-liquibase", ".out");
		List<String> arguments = new ArrayList<>(
				List.of(arguments("--test.liquibase=sync", "--test.changelog=db/changelog/sleeping.yaml")));
		arguments.removeIf((argument) -> argument.startsWith("--spring.datasource.url="));
		arguments.add("--spring.datasource.url=" + this.database.url() + "&options="
				+ URLEncoder.encode("-c test.sleep=60", StandardCharsets.UTF_8).replace("+", "%20"));
		System.out.println("[test] instance to be killed logs to " + log);
		return JavaProcess.start(log, AsyncLiquibaseApplication.class, arguments);
	}

	private String[] arguments(String... more) {
		List<String> all = new ArrayList<>(this.database.arguments());
		all.add("--spring.main.web-application-type=none");
		all.add("--spring.main.banner-mode=off");
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

}
