package dev.datamigrate.history;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.core.InfrastructureProxy;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The application's data source as the starter uses it: a connection it takes outside a transaction
 * commits each statement, whatever the pool's default ({@code spring.datasource.hikari.auto-commit=false}
 * would otherwise roll back the history table's DDL and records when the connection goes back to the
 * pool). Inside a Spring-managed transaction the transaction's connection is used, since transaction
 * resources are looked up by the data source this one wraps.
 */
public final class AutoCommitDataSource extends DelegatingDataSource implements InfrastructureProxy {

	/**
	 * Wrap a data source.
	 * @param dataSource the application's data source
	 */
	public AutoCommitDataSource(DataSource dataSource) {
		super(dataSource);
	}

	@Override
	public Connection getConnection() throws SQLException {
		return autoCommitting(obtainTargetDataSource().getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return autoCommitting(obtainTargetDataSource().getConnection(username, password));
	}

	private static Connection autoCommitting(Connection connection) throws SQLException {
		if (!connection.getAutoCommit()) {
			try {
				connection.setAutoCommit(true);
			}
			catch (SQLException ex) {
				connection.close();
				throw ex;
			}
		}
		return connection;
	}

	@Override
	public Object getWrappedObject() {
		return obtainTargetDataSource();
	}

}
