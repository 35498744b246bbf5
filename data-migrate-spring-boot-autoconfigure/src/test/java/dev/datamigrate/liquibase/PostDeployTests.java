package dev.datamigrate.liquibase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.DataMigrations.PostDeployChange;
import dev.datamigrate.testsupport.Http;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Post-deploy changesets wait for the data migrations: held back at startup, applied by the run that
 * finishes the backfill or by the next startup when the backfill finished before, never after a failed one,
 * and listed by the deploy report.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostDeployTests {

	private static final String CONSTRAINT = "db/changelog/post-deploy.yaml::purpose-not-null::data-migrate";

	private final TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);

	private final HikariDataSource dataSource = this.database.dataSource();

	private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	@AfterEach
	void stop() {
		PostDeployApplication.BROKEN.set(false);
		this.applications.forEach(ConfigurableApplicationContext::close);
		this.dataSource.close();
		this.database.close();
	}

	@Test
	void endpointRunBackfillsThenAppliesTheConstraint() throws Exception {
		ConfigurableApplicationContext application = start("--data-migrate.on-startup=skip", "--server.port=0",
				"--management.endpoints.web.exposure.include=datamigrations",
				"--management.endpoint.datamigrations.access=unrestricted");
		assertThat(purposeNullable()).isTrue();
		Http http = new Http(((WebServerApplicationContext) application).getWebServer().getPort());
		String base = "/actuator/datamigrations";
		var before = http.get(base).json();
		assertThat(before.<List<String>>read("$.migrations[*].status")).containsExactly("PENDING");
		assertThat(before.<List<String>>read("$.postDeploy[*].id")).containsExactly(CONSTRAINT);
		assertThat(before.<List<Boolean>>read("$.postDeploy[*].applied")).containsExactly(false);
		assertThat(before.<List<String>>read("$.postDeploy[*].description"))
			.containsExactly("Make purpose NOT NULL once it is backfilled");

		assertThat(http.post(base, null).status()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> http.get(base).<List<Boolean>>read("$.postDeploy[*].applied").equals(List.of(true)));
		var after = http.get(base).json();
		assertThat(after.<List<String>>read("$.migrations[*].status")).containsExactly("SUCCEEDED");
		assertThat(purposeNullable()).isFalse();
		assertThat(jdbc().queryForObject("select count(*) from notify_log_entries where purpose = 'unknown'",
				Integer.class)).isEqualTo(7);
	}

	@Test
	void failingMigrationLeavesThePostDeployChangesetUnapplied() {
		PostDeployApplication.BROKEN.set(true);
		Throwable failure = null;
		try {
			start("--spring.main.web-application-type=none");
		}
		catch (RuntimeException ex) {
			failure = ex;
		}
		assertThat(failure).as("startup fails on the failed migration").isNotNull();
		assertThat(purposeNullable()).isTrue();
		assertThat(jdbc().queryForList("select id from databasechangelog", String.class))
			.containsExactly("notify-log-entries");
		ConfigurableApplicationContext application = start("--data-migrate.on-startup=skip",
				"--spring.main.web-application-type=none");
		DataMigrations migrations = application.getBean(DataMigrations.class);
		assertThat(migrations.status().find("2026.03.05.1").orElseThrow().status()).isEqualTo(MigrationStatus.FAILED);
		assertThat(migrations.postDeployChanges()).extracting(PostDeployChange::applied).containsExactly(false);
	}

	@Test
	void contractChangesetOfAFinishedMigrationIsAppliedByTheNextStartup() {
		start("--spring.main.web-application-type=none").close();
		assertThat(purposeNullable()).isFalse();
		// as when the contract changeset comes in a deploy after the one whose migration it waits for
		jdbc().update("delete from databasechangelog where id = 'purpose-not-null'");
		jdbc().execute("alter table notify_log_entries alter column purpose drop not null");
		DataMigrations migrations = start("--spring.main.web-application-type=none").getBean(DataMigrations.class);
		assertThat(migrations.status().find("2026.03.05.1").orElseThrow().status()).isEqualTo(MigrationStatus.SUCCEEDED);
		assertThat(purposeNullable()).isFalse();
		assertThat(migrations.postDeployChanges()).extracting(PostDeployChange::applied).containsExactly(true);
	}

	@Test
	void planListsBothKindsAndChangesNothing(CapturedOutput output) {
		start("--data-migrate.on-startup=skip", "--spring.main.web-application-type=none").close();
		Map<String, Object> before = snapshot();

		String plan = printPlan(output);
		assertThat(plan).contains("Data migration plan: 1 pending")
			.containsPattern("2026\\.03\\.05\\.1\\s+PENDING\\s+Backfill purpose on notify_log_entries")
			.contains("Post-deploy changes, applied after the data migrations: 1 pending")
			.contains(CONSTRAINT + "  Make purpose NOT NULL once it is backfilled");
		assertThat(snapshot()).isEqualTo(before);
	}

	@Test
	void planOnAFreshDatabaseCreatesNoTable(CapturedOutput output) {
		assertThat(printPlan(output)).contains("Data migration plan: 1 pending")
			.contains(CONSTRAINT + "  Make purpose NOT NULL once it is backfilled");
		assertThat(jdbc().queryForList("select table_name from information_schema.tables where table_schema = ?",
				String.class, this.database.name()))
			.as("not even Liquibase's databasechangelog")
			.isEmpty();
	}

	/**
	 * Start in plan mode and return what it printed. A context runner publishes no
	 * ApplicationReadyEvent, so the plan prints without exiting the JVM.
	 */
	private String printPlan(CapturedOutput output) {
		int printed = output.length();
		new ApplicationContextRunner().withUserConfiguration(PostDeployApplication.class)
			.withPropertyValues(this.database.properties().toArray(String[]::new))
			.withPropertyValues("spring.liquibase.change-log=" + PostDeployApplication.CHANGELOG,
					"data-migrate.on-startup=plan")
			.run((context) -> assertThat(context).hasNotFailed());
		return output.toString().substring(printed);
	}

	private Map<String, Object> snapshot() {
		JdbcTemplate jdbc = jdbc();
		return Map.of("tables",
				jdbc.queryForList("select table_name from information_schema.tables where table_schema = ? order by 1",
						String.class, this.database.name()),
				"changelog", jdbc.queryForList("select id from databasechangelog order by 1", String.class), "entries",
				jdbc.queryForList("select id || ':' || coalesce(purpose, '-') from notify_log_entries order by id",
						String.class),
				"nullable", purposeNullable());
	}

	private boolean purposeNullable() {
		return "YES".equals(jdbc().queryForObject("select is_nullable from information_schema.columns "
				+ "where table_schema = ? and table_name = 'notify_log_entries' and column_name = 'purpose'",
				String.class, this.database.name()));
	}

	private JdbcTemplate jdbc() {
		return new JdbcTemplate(this.dataSource);
	}

	private ConfigurableApplicationContext start(String... arguments) {
		List<String> all = new ArrayList<>(this.database.arguments());
		all.add("--spring.liquibase.change-log=" + PostDeployApplication.CHANGELOG);
		all.addAll(List.of(arguments));
		ConfigurableApplicationContext application = new SpringApplication(PostDeployApplication.class)
			.run(all.toArray(String[]::new));
		this.applications.add(application);
		return application;
	}

}
