package dev.datamigrate.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A private PostgreSQL server keeps its data across a restart and a stop, refuses connections while
 * stopped, and leaves nothing behind once closed.
 */
class PrivatePostgresTests {

	@Test
	void keepsDataAcrossRestartsAndDeletesItsDirectoryWhenClosed() throws SQLException {
		Path directory;
		try (PrivatePostgres postgres = PrivatePostgres.start()) {
			directory = postgres.directory();
			assertThat(directory).isDirectory();
			assertThat(postgres.port()).isNotEqualTo(5432);
			assertThat(postgres.isRunning()).isTrue();
			try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
				assertThat(query(statement, "select current_setting('server_version_num')")).singleElement()
					.asString()
					.startsWith("15");
				assertThat(query(statement, "select inet_server_port()::text"))
					.containsExactly(String.valueOf(postgres.port()));
				statement.execute("create table kept (id int primary key, name text not null)");
				statement.execute("insert into kept values (1, 'one')");
			}
			postgres.restart();
			assertThat(postgres.isRunning()).isTrue();
			assertThat(names(postgres)).containsExactly("one");
			postgres.stop();
			assertThat(postgres.isRunning()).isFalse();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> postgres.connect().close());
			postgres.startAgain();
			assertThat(postgres.isRunning()).isTrue();
			assertThat(names(postgres)).containsExactly("one");
		}
		assertThat(directory).doesNotExist();
	}

	private static List<String> names(PrivatePostgres postgres) throws SQLException {
		try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
			return query(statement, "select name from kept order by id");
		}
	}

	private static List<String> query(Statement statement, String sql) throws SQLException {
		List<String> values = new ArrayList<>();
		try (ResultSet result = statement.executeQuery(sql)) {
			while (result.next()) {
				values.add(result.getString(1));
			}
		}
		return values;
	}

}
