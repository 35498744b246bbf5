package dev.datamigrate.traffic;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.fixtures.Items;
import dev.datamigrate.testsupport.PrivatePostgres;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built-in anti-wraparound vacuum check, on a PostgreSQL server of the test's own: while an
 * autovacuum that prevents wraparound works on the walked table, the backfill waits; once it ends, the
 * backfill runs with every row changed once. The test makes the vacuum due by consuming transaction IDs
 * past the table's {@code autovacuum_freeze_max_age}, and keeps it working with a cursor that pins a page
 * whose rows it must freeze.
 */
class WraparoundVacuumThrottleTests {

	private static final int ROWS = 20_000;

	@Test
	void anAntiWraparoundVacuumOfTheWalkedTableHoldsTheBackfillUntilItEnds() throws Exception {
		try (PrivatePostgres server = PrivatePostgres.start(); HikariDataSource admin = server.dataSource()) {
			JdbcTemplate onServer = new JdbcTemplate(admin);
			onServer.execute("alter system set autovacuum_naptime = '1s'");
			onServer.execute("select pg_reload_conf()");
			String database = ThrottledInstance.createDatabase(server, server.username(), ROWS);
			try (HikariDataSource dataSource = ThrottledInstance.dataSource(server, database, server.username());
					Connection pin = dataSource.getConnection();
					ThrottledInstance instance = ThrottledInstance.start(server, database, server.username(),
							"--data-migrate.throttle.interval=100ms")) {
				JdbcTemplate jdbc = new JdbcTemplate(dataSource);
				jdbc.execute("create procedure consume_xids(n integer) language plpgsql as $$ begin "
						+ "for i in 1..n loop perform pg_current_xact_id(); commit; end loop; end $$");
				jdbc.execute("call consume_xids(110000)");
				// a cursor pins the table's first page
				pin.setAutoCommit(false);
				try (Statement cursor = pin.createStatement()) {
					cursor.execute("declare pinning cursor for select * from items");
					cursor.execute("fetch 1 from pinning");
				}
				// due past the freeze age, and freezing every row (an aggressive vacuum), so it waits for the pin
				jdbc.execute("alter table items set (autovacuum_freeze_max_age = 100000, autovacuum_freeze_table_age = 0, "
						+ "autovacuum_freeze_min_age = 0)");
				await().atMost(Duration.ofSeconds(60)).until(() -> wraparoundVacuums(jdbc) == 1);

				instance.runPending();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> "an anti-wraparound autovacuum works on items".equals(instance.throttledBy()));
				await().during(Duration.ofSeconds(1))
					.atMost(Duration.ofSeconds(3))
					.until(() -> instance.batchesDone() == 0 && wraparoundVacuums(jdbc) == 1);

				pin.rollback();
				await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(instance.status()));
				assertThat(wraparoundVacuums(jdbc)).as("the backfill ran once the vacuum ended").isZero();
				assertThat(Items.changeCounts(jdbc)).isEqualTo(Map.of(1, ROWS));
			}
		}
	}

	private static int wraparoundVacuums(JdbcTemplate jdbc) {
		Integer vacuums = jdbc.queryForObject("select count(*) from pg_stat_progress_vacuum v join pg_stat_activity a "
				+ "on a.pid = v.pid where v.relid = 'items'::regclass and a.query like '%(to prevent wraparound)'",
				Integer.class);
		return (vacuums != null) ? vacuums : 0;
	}

}
