package dev.datamigrate.liquibase;

import java.sql.Connection;
import java.sql.DriverManager;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Another process that applies a changelog, as an init container or a pipeline step does: arguments are
 * the JDBC URL, user, password and changelog.
 */
public final class ApplyChangelog {

	private ApplyChangelog() {
	}

	public static void main(String[] args) throws Exception {
		try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
			Liquibase liquibase = new Liquibase(args[3], new ClassLoaderResourceAccessor(), new JdbcConnection(connection));
			liquibase.update(new Contexts(), new LabelExpression());
			System.out.println("[apply-changelog] applied " + args[3]);
		}
	}

}
