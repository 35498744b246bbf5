package dev.datamigrate.liquibase;

import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code data-migrate.liquibase.session-lock}: by default Liquibase's updates leave no lock table behind
 * (the lock lives in the session); switched off, Liquibase takes its own table lock again.
 */
class SessionLockSwitchTests {

	private final TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);

	private final HikariDataSource dataSource = this.database.dataSource();

	@AfterEach
	void drop() {
		SessionLockService.setEnabled(true);
		this.dataSource.close();
		this.database.close();
	}

	@Test
	void byDefaultTheUpdateLeavesNoLockTable() {
		update();
		assertThat(tables()).contains("databasechangelog", "things").doesNotContain("databasechangeloglock");
	}

	@Test
	void switchedOffLiquibaseTakesItsTableLock() {
		update("data-migrate.liquibase.session-lock=false");
		assertThat(tables()).contains("databasechangelog", "databasechangeloglock", "things");
		assertThat(new JdbcTemplate(this.dataSource).queryForObject("select locked from databasechangeloglock",
				Boolean.class))
			.as("released after the update")
			.isFalse();
	}

	private void update(String... properties) {
		MigrationContexts.jdbc(this.database)
			.withConfiguration(AutoConfigurations.of(LiquibaseAutoConfiguration.class))
			.withPropertyValues("spring.liquibase.change-log=classpath:db/changelog/things.yaml",
					"data-migrate.on-startup=skip")
			.withPropertyValues(properties)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private List<String> tables() {
		return new JdbcTemplate(this.dataSource).queryForList(
				"select table_name from information_schema.tables where table_schema = ?", String.class,
				this.database.name());
	}

}
