package dev.datamigrate.process;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.datamigrate.lock.MariaDbNamedLock;
import dev.datamigrate.lock.MigrationLock;
import dev.datamigrate.lock.PostgresAdvisoryLock;
import dev.datamigrate.process.ChildMigrations.FirstRelease;
import dev.datamigrate.process.ChildMigrations.SecondFails;
import dev.datamigrate.process.ChildMigrations.ThreeMigrations;
import dev.datamigrate.testsupport.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code data-migrate.on-startup=run-and-exit} and {@code plan} as a pipeline step or Kubernetes Job
 * sees them: a real JVM on a real database, judged by its exit code, what it printed, and what is in
 * the database afterwards.
 */
class RunAndExitProcessTests extends ChildJvmTestSupport {

	private static final String RUN_AND_EXIT = "--data-migrate.on-startup=run-and-exit";

	private static final String PLAN = "--data-migrate.on-startup=plan";

	@ParameterizedTest
	@EnumSource(names = { "POSTGRESQL", "MARIADB" })
	void exitsWith0WhenEveryMigrationSucceedsAndAgainWhenNothingIsLeft(Kind kind) throws Exception {
		useDatabase(kind);

		Exited first = runToEnd("exit0-first", ThreeMigrations.class, RUN_AND_EXIT);
		assertThat(first.code()).as(first.describe()).isZero();
		assertThat(first.stdout()).contains("Exiting with code 0");
		Map<String, Map<String, Object>> history = history();
		assertThat(history).containsOnlyKeys("2026.1", "2026.2", "2026.10");
		assertThat(history.values()).allSatisfy((row) -> {
			assertThat(status(row)).isEqualTo("SUCCEEDED");
			assertThat(number(row, "attempts")).isOne();
			assertThat((String) row.get("executed_by")).endsWith(":" + first.child().pid());
			assertThat(row.get("triggered_by")).isEqualTo("startup");
		});
		assertThat(bodyRuns()).containsExactlyInAnyOrderEntriesOf(Map.of("2026.1", 1, "2026.2", 1, "2026.10", 1));

		// the next deploy's step: nothing pending, nothing runs again
		Exited second = runToEnd("exit0-second", ThreeMigrations.class, RUN_AND_EXIT);
		assertThat(second.code()).as(second.describe()).isZero();
		assertThat(history()).isEqualTo(history);
		assertThat(bodyRuns()).containsExactlyInAnyOrderEntriesOf(Map.of("2026.1", 1, "2026.2", 1, "2026.10", 1));
	}

	@ParameterizedTest
	@EnumSource(names = { "POSTGRESQL", "MARIADB" })
	void exitsWith1WhenAMigrationFailsAndAgainWhileTheFailureHaltsTheQueue(Kind kind) throws Exception {
		useDatabase(kind);

		Exited failed = runToEnd("exit1-fails", SecondFails.class, RUN_AND_EXIT);
		assertThat(failed.code()).as(failed.describe()).isEqualTo(1);
		assertThat(failed.stdout()).contains("Exiting with code 1").contains(ChildMigrations.FAILURE_MESSAGE);
		Map<String, Map<String, Object>> history = history();
		assertThat(status(history.get("2026.1"))).isEqualTo("SUCCEEDED");
		assertThat(status(history.get("2026.2"))).isEqualTo("FAILED");
		assertThat(number(history.get("2026.2"), "attempts")).isOne();
		assertThat((String) history.get("2026.2").get("error")).contains(ChildMigrations.FAILURE_MESSAGE);
		assertThat(status(history.get("2026.10"))).as("a later migration does not run after a failure")
			.isEqualTo("PENDING");
		assertThat(number(history.get("2026.10"), "attempts")).isZero();
		// the failed migration's own work was rolled back with it; the later one never ran
		assertThat(bodyRuns()).containsExactlyInAnyOrderEntriesOf(Map.of("2026.1", 1));

		// the same release again: the FAILED migration halts the queue, nothing is retried or run
		Exited halted = runToEnd("exit1-halted", SecondFails.class, RUN_AND_EXIT);
		assertThat(halted.code()).as(halted.describe()).isEqualTo(1);
		assertThat(halted.stdout()).contains("Exiting with code 1");
		Map<String, Map<String, Object>> after = history();
		assertThat(status(after.get("2026.2"))).isEqualTo("FAILED");
		assertThat(number(after.get("2026.2"), "attempts")).as("not retried without retry-failed").isOne();
		assertThat(status(after.get("2026.10"))).isEqualTo("PENDING");
		assertThat(bodyRuns()).containsExactlyInAnyOrderEntriesOf(Map.of("2026.1", 1));
	}

	@ParameterizedTest
	@EnumSource(names = { "POSTGRESQL", "MARIADB" })
	void exitsWith2WhenAnotherProcessHoldsTheLockLongerThanTheWaitTimeout(Kind kind) throws Exception {
		useDatabase(kind);
		MigrationLock lock = (kind == Kind.POSTGRESQL) ? new PostgresAdvisoryLock(this.dataSource, HISTORY)
				: new MariaDbNamedLock(this.dataSource, HISTORY);
		Optional<MigrationLock.Handle> held = lock.acquire(Duration.ofSeconds(10));
		assertThat(held).as("the test takes the lock first").isPresent();
		try (MigrationLock.Handle handle = held.get()) {
			Exited locked = runToEnd("exit2-locked", ThreeMigrations.class, RUN_AND_EXIT,
					"--data-migrate.lock.wait-timeout=2s");
			assertThat(locked.code()).as(locked.describe()).isEqualTo(2);
			assertThat(locked.stdout()).contains(ChildApp.LOCK_WAITING)
				.contains(ChildApp.LOCK_TIMED_OUT)
				.doesNotContain(ChildApp.LOCK_ACQUIRED)
				.contains("Exiting with code 2");
			assertThat(tables()).as("a run without the lock changes nothing").isEmpty();
			assertThat(handle.isHeld()).isTrue();
		}

		// once the holder let go, the same step gets the lock and runs everything
		Exited free = runToEnd("exit2-free", ThreeMigrations.class, RUN_AND_EXIT,
				"--data-migrate.lock.wait-timeout=2s");
		assertThat(free.code()).as(free.describe()).isZero();
		assertThat(history().values()).extracting(ChildJvmTestSupport::status).containsOnly("SUCCEEDED").hasSize(3);
	}

	@ParameterizedTest
	@EnumSource(names = { "POSTGRESQL", "MARIADB" })
	void planListsPendingMigrationsAndRunsNothing(Kind kind) throws Exception {
		useDatabase(kind);

		Exited fresh = runToEnd("plan-fresh", ThreeMigrations.class, PLAN);
		assertThat(fresh.code()).as(fresh.describe()).isZero();
		List<String> plan = planLines(fresh.stdout());
		assertThat(plan.get(0)).isEqualTo("Data migration plan: 3 pending");
		assertThat(plan).hasSize(4);
		assertPlanLine(plan.get(1), "2026.1", "Create default settings");
		assertPlanLine(plan.get(2), "2026.2", "Move feature flags to the new store");
		assertPlanLine(plan.get(3), "2026.10", "Clean up orphaned sessions");
		assertThat(tables()).as("plan creates no history table and runs no migration body").isEmpty();

		// a first release ran; the next release adds two migrations
		Exited release = runToEnd("plan-release1", FirstRelease.class, RUN_AND_EXIT);
		assertThat(release.code()).as(release.describe()).isZero();
		Map<String, Map<String, Object>> before = history();
		Map<String, Integer> bodiesBefore = bodyRuns();
		assertThat(before).containsOnlyKeys("2026.1");

		Exited next = runToEnd("plan-release2", ThreeMigrations.class, PLAN);
		assertThat(next.code()).as(next.describe()).isZero();
		List<String> nextPlan = planLines(next.stdout());
		assertThat(nextPlan).hasSize(3);
		assertThat(nextPlan.get(0)).isEqualTo("Data migration plan: 2 pending");
		assertPlanLine(nextPlan.get(1), "2026.2", "Move feature flags to the new store");
		assertPlanLine(nextPlan.get(2), "2026.10", "Clean up orphaned sessions");
		assertThat(history()).as("plan leaves the history as it was").isEqualTo(before);
		assertThat(bodyRuns()).isEqualTo(bodiesBefore).containsExactlyEntriesOf(Map.of("2026.1", 1));
		assertThat(tables()).containsExactlyInAnyOrder("body_runs", HISTORY);
	}

	/** The plan's header and the lines after it, up to the first blank or log line. */
	private static List<String> planLines(String stdout) {
		List<String> lines = stdout.lines().toList();
		int start = -1;
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).startsWith("Data migration plan: ")) {
				assertThat(start).as("one plan printed").isEqualTo(-1);
				start = i;
			}
		}
		assertThat(start).as("a plan in stdout:\n" + stdout).isNotNegative();
		int end = start + 1;
		while (end < lines.size() && lines.get(end).startsWith("  ")) {
			end++;
		}
		return lines.subList(start, end);
	}

	private static void assertPlanLine(String line, String version, String description) {
		assertThat(line.strip().split("\\s+", 3)).containsExactly(version, "PENDING", description);
	}

}
