package dev.datamigrate.webonly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.datamigrate.sample.TestRedis;
import dev.datamigrate.testsupport.JavaProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code plan} and {@code run-and-exit} in an application whose beans need the web stack and Spring
 * Security: it starts as it is, opens no port, reports or runs, and exits with a code that says what
 * happened (the application's own exit code generators included).
 */
class ExitingModesInAWebApplicationTests {

	private static final String CHANGELOG = "db/changelog/db.changelog-master.yaml::";

	@Test
	void planStartsTheWebApplicationWithoutAPortAndListsThePendingSchemaChanges() throws Exception {
		Exited plan = run("plan", "--data-migrate.on-startup=plan");
		assertThat(plan.code()).as(plan.describe()).isZero();
		assertThat(plan.stdout()).contains(WebOnlyApplication.LISTENING + "[]")
			.containsPattern("Schema changes, applied first: \\d+ pending")
			.contains(CHANGELOG)
			.contains("Data migration plan: 3 pending")
			.contains("Post-deploy changes, applied after the data migrations: 1 pending")
			.contains("[waits for data migration 2026.03.05.1, PENDING]");
	}

	@Test
	void theJsonPlanHoldsTheSameItemsAsTheTextOne() throws Exception {
		Exited text = run("plan-text", "--data-migrate.on-startup=plan");
		Exited json = run("plan-json", "--data-migrate.on-startup=plan", "--data-migrate.plan.format=json");
		assertThat(json.code()).as(json.describe()).isZero();
		String document = json.stdout().lines().filter((line) -> line.startsWith("{")).findFirst().orElseThrow();
		JsonNode plan = JsonMapper.builder().build().readTree(document);
		List<String> items = new ArrayList<>();
		plan.get("schemaChanges").forEach((change) -> items.add(change.get("id").asString()));
		plan.get("dataMigrations").forEach((migration) -> items.add(migration.get("version").asString()));
		plan.get("postDeployChanges").forEach((change) -> items.add(change.get("id").asString()));
		assertThat(items).hasSizeGreaterThan(3);
		assertThat(plan.get("schemaChanges")).isNotEmpty();
		assertThat(plan.get("dataMigrations")).hasSize(3);
		assertThat(plan.get("postDeployChanges")).hasSize(1);
		List<String> textItems = text.stdout()
			.lines()
			.filter((line) -> line.startsWith("  "))
			.map((line) -> line.strip().split("\\s+")[0])
			.toList();
		assertThat(items).containsExactlyElementsOf(textItems);
	}

	@Test
	void runAndExitRunsInTheWebApplicationWithoutAPort() throws Exception {
		Exited run = run("run-and-exit", "--data-migrate.on-startup=run-and-exit", "--data-migrate.batch.pause=0ms");
		assertThat(run.code()).as(run.describe()).isZero();
		assertThat(run.stdout()).contains(WebOnlyApplication.LISTENING + "[]")
			.contains("data_migration_finish")
			.contains("data_migration_post_deploy");
	}

	@Test
	void structuredLogsOfARunWithPostDeployChangesetsAreOneJsonObjectALine() throws Exception {
		Exited run = run("ecs", "--data-migrate.on-startup=run-and-exit", "--data-migrate.batch.pause=0ms",
				"--logging.structured.format.console=ecs");
		assertThat(run.code()).as(run.describe()).isZero();
		JsonMapper json = JsonMapper.builder().build();
		// all but the test application's own port report
		List<String> lines = run.stdout()
			.lines()
			.filter((line) -> !line.isBlank() && !line.startsWith(WebOnlyApplication.LISTENING))
			.toList();
		assertThat(lines).anyMatch((line) -> line.contains("data_migration_post_deploy"));
		for (String line : lines) {
			assertThat(json.readTree(line).isObject()).as(line).isTrue();
		}
	}

	@Test
	void anApplicationThatFailsToStartExitsWithThree() throws Exception {
		for (String mode : List.of("run-and-exit", "plan")) {
			Exited failed = run("fails-" + mode, "--data-migrate.on-startup=" + mode, "--web-only.fail=true");
			assertThat(failed.code()).as(failed.describe()).isEqualTo(3);
			assertThat(failed.stdout()).contains("A bean of the application failed");
		}
	}

	@Test
	void theApplicationsOwnExitCodeIsRespected() throws Exception {
		Exited run = run("own-exit-code", "--data-migrate.on-startup=run-and-exit", "--data-migrate.batch.pause=0ms",
				"--web-only.exit-code=7");
		assertThat(run.code()).as(run.describe()).isEqualTo(7);
	}

	/**
	 * Run {@link WebOnlyApplication} in a JVM of its own on an in-memory database and under a Redis key
	 * prefix of its own, to its end.
	 */
	private static Exited run(String label, String... arguments) throws Exception {
		Path directory = Path.of(System.getProperty("basedir", "."), "target", "child-jvms");
		Files.createDirectories(directory);
		Path stdout = directory.resolve("web-only-" + label + ".out");
		List<String> all = new ArrayList<>(List.of("--spring.main.banner-mode=off", "--server.port=8080",
				"--spring.datasource.generate-unique-name=true"));
		all.addAll(List.of(arguments));
		try (TestRedis redis = TestRedis.create()) {
			all.addAll(redis.arguments());
			Process process = JavaProcess.start(stdout, WebOnlyApplication.class, all);
			try {
				assertThat(process.waitFor(120, TimeUnit.SECONDS))
					.as("web-only " + label + " exits within 120 s; see " + stdout)
					.isTrue();
				return new Exited(process.exitValue(), Files.readString(stdout), stdout);
			}
			finally {
				process.destroyForcibly();
			}
		}
	}

	private record Exited(int code, String stdout, Path file) {

		String describe() {
			return "exit code of " + this.file + "\n" + this.stdout.lines()
				.skip(Math.max(0, this.stdout.lines().count() - 40))
				.reduce("", (all, line) -> all + line + "\n");
		}

	}

}
