package dev.datamigrate.liquibase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.actuate.health.DataMigrationsHealthIndicator;
import dev.datamigrate.testsupport.JavaProcess;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Data migrations run only once the schema is up to date: after an asynchronous Liquibase (JHipster's
 * dev profile) in {@code run} and {@code background} mode, after a changelog applied by another
 * process, and not at all when the schema is still behind at {@code data-migrate.schema.wait-timeout}.
 */
@ExtendWith(OutputCaptureExtension.class)
class SchemaWaitTests {

	/** The wait's first line: the asynchronous Liquibase may have applied the first changeset by then. */
	private static final String WAITING = "\\(data-migrate.schema.wait-timeout\\) for the schema tool to apply "
			+ "(2 changes: db/changelog/slow-category.yaml::products::data-migrate, |1 change: )"
			+ AsyncLiquibaseApplication.CATEGORY_CHANGESET;

	private final TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);

	private final HikariDataSource dataSource = this.database.dataSource();

	private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

	private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	@AfterEach
	void stop() {
		this.applications.forEach(ConfigurableApplicationContext::close);
		this.dataSource.close();
		this.database.close();
	}

	@Test
	void runModeWaitsForAnAsynchronousLiquibase(CapturedOutput output) {
		ConfigurableApplicationContext application = start("--test.liquibase=async", "--data-migrate.on-startup=run");
		assertThat(status(application)).isEqualTo(MigrationStatus.SUCCEEDED);
		assertThat(categorized()).isEqualTo(20);
		assertThat(output).containsPattern(WAITING).contains("Schema up to date after");
	}

	@Test
	void backgroundModeWaitsForAnAsynchronousLiquibase(CapturedOutput output) {
		ConfigurableApplicationContext application = start("--test.liquibase=async",
				"--data-migrate.on-startup=background");
		await().atMost(Duration.ofSeconds(60)).until(() -> status(application) == MigrationStatus.SUCCEEDED);
		assertThat(categorized()).isEqualTo(20);
		assertThat(output).containsPattern(WAITING);
	}

	@Test
	void aChangelogAppliedByAnotherProcessIsWaitedFor(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext application = start("--test.liquibase=external",
				"--data-migrate.on-startup=background");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> output.toString().contains("for the schema tool to apply 2 changes"));
		assertThat(status(application)).isEqualTo(MigrationStatus.PENDING);
		assertThat(application.getBean(DataMigrationsHealthIndicator.class).health(true).getDetails())
			.containsEntry("schemaChangesPending", 2);
		assertThat(applyChangelogInAnotherProcess()).isZero();
		await().atMost(Duration.ofSeconds(60)).until(() -> status(application) == MigrationStatus.SUCCEEDED);
		assertThat(categorized()).isEqualTo(20);
	}

	@Test
	void runModeGivesUpWhenTheSchemaIsStillBehindAtTheWaitTimeout() {
		assertThatException()
			.isThrownBy(() -> start("--test.liquibase=external", "--data-migrate.on-startup=run",
					"--data-migrate.schema.wait-timeout=2s"))
			.withMessageContaining("Not run: schema not up to date after PT2S (data-migrate.schema.wait-timeout); "
					+ "still pending: 2 changes");
		assertThat(this.jdbc.queryForList("select table_name from information_schema.tables where table_schema = ?",
				String.class, this.database.name()))
			.as("neither the changelog nor the history")
			.isEmpty();
	}

	private int applyChangelogInAnotherProcess() throws Exception {
		Path log = Files.createTempFile("apply-changelog", ".out");
		Process process = JavaProcess.start(log, ApplyChangelog.class, List.of(this.database.url(),
				this.database.username(), this.database.password(), AsyncLiquibaseApplication.CHANGELOG));
		try {
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the other process ends; see " + log).isTrue();
			return process.exitValue();
		}
		finally {
			process.destroyForcibly();
		}
	}

	private static MigrationStatus status(ConfigurableApplicationContext application) {
		return application.getBean(DataMigrations.class).status().find("1").map(MigrationInfo::status).orElseThrow();
	}

	private int categorized() {
		return this.jdbc.queryForObject("select count(*) from products where category = 'books'", Integer.class);
	}

	private ConfigurableApplicationContext start(String... arguments) {
		List<String> all = new ArrayList<>(this.database.arguments());
		all.add("--spring.main.web-application-type=none");
		all.addAll(List.of(arguments));
		ConfigurableApplicationContext application = new SpringApplication(AsyncLiquibaseApplication.class)
			.run(all.toArray(String[]::new));
		this.applications.add(application);
		return application;
	}

}
