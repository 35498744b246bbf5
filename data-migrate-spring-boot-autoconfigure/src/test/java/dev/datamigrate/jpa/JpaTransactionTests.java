package dev.datamigrate.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationTask;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.MigrationInfo.MigrationStatus;
import dev.datamigrate.testsupport.MigrationContexts;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migration's writes through a JPA repository and a JdbcTemplate commit or roll back together with
 * its history record, in the application's own JPA transaction.
 */
class JpaTransactionTests {

	private static final AtomicBoolean FAIL = new AtomicBoolean();

	@AfterEach
	void reset() {
		FAIL.set(false);
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void failingMigrationLeavesNothingOfItsWritesBehind(TestDatabase.Kind kind) throws SQLException {
		FAIL.set(true);
		try (TestDatabase database = TestDatabase.create(kind)) {
			jpa(database).run((context) -> {
				assertThat(context).hasFailed();
			});
			jpa(database).withPropertyValues("data-migrate.on-startup=skip").run((context) -> {
				assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(JpaTransactionManager.class);
				assertThat(context.getBean(NoteRepository.class).count()).isZero();
				assertThat(context.getBean(JdbcTemplate.class).queryForObject("select count(*) from note_audit",
						Integer.class)).isZero();
				assertThat(context.getBean(DataMigrations.class).status().find("1").orElseThrow().status())
					.isEqualTo(MigrationStatus.FAILED);
			});
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void succeedingMigrationCommitsItsWritesWithItsRecord(TestDatabase.Kind kind) throws SQLException {
		try (TestDatabase database = TestDatabase.create(kind)) {
			jpa(database).run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(NoteRepository.class).findAll()).extracting(Note::getText)
					.containsExactly("migrated");
				assertThat(context.getBean(JdbcTemplate.class).queryForObject("select count(*) from note_audit",
						Integer.class)).isOne();
				assertThat(context.getBean(DataMigrations.class).status().find("1").orElseThrow().status())
					.isEqualTo(MigrationStatus.SUCCEEDED);
			});
		}
	}

	private static ApplicationContextRunner jpa(TestDatabase database) throws SQLException {
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			statement.execute("create table if not exists note_audit (text varchar(100))");
		}
		return MigrationContexts.jdbc(database)
			.withConfiguration(AutoConfigurations.of(HibernateJpaAutoConfiguration.class,
					DataJpaRepositoriesAutoConfiguration.class))
			.withUserConfiguration(JpaConfiguration.class)
			.withPropertyValues("spring.jpa.hibernate.ddl-auto=update");
	}

	@Configuration(proxyBeanMethods = false)
	@EntityScan(basePackageClasses = Note.class)
	@EnableJpaRepositories(basePackageClasses = NoteRepository.class)
	@Import(WritesNotes.class)
	static class JpaConfiguration {

	}

	@DataMigration(version = "1")
	static class WritesNotes implements DataMigrationTask {

		private final NoteRepository notes;

		private final JdbcTemplate jdbc;

		WritesNotes(NoteRepository notes, JdbcTemplate jdbc) {
			this.notes = notes;
			this.jdbc = jdbc;
		}

		@Override
		public void migrate(DataMigrationContext context) {
			this.notes.saveAndFlush(new Note("migrated"));
			this.jdbc.update("insert into note_audit (text) values ('migrated')");
			if (FAIL.get()) {
				throw new IllegalStateException("fails after writing");
			}
		}

	}

}
