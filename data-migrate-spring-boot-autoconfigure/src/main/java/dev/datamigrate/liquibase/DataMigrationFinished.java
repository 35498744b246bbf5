package dev.datamigrate.liquibase;

import java.util.Optional;

import dev.datamigrate.history.FinishGate;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomPreconditionErrorException;
import liquibase.exception.CustomPreconditionFailedException;
import liquibase.precondition.CustomPrecondition;

/**
 * A Liquibase precondition that passes only when a data migration is SUCCEEDED, SKIPPED or BASELINE in
 * this database: the finish gate of a contract changeset, such as dropping the column that the migration
 * moved data out of. With {@code onFail="HALT"} the update stops with a message naming the migration, its
 * status and progress, and the way out.
 * <pre class="code">
 * &lt;preConditions onFail="HALT"&gt;
 *   &lt;customPrecondition className="dev.datamigrate.liquibase.DataMigrationFinished"&gt;
 *     &lt;param name="version" value="2026.03.05.1"/&gt;
 *   &lt;/customPrecondition&gt;
 * &lt;/preConditions&gt;
 * </pre>
 */
public class DataMigrationFinished implements CustomPrecondition {

	private String version;

	private String table = "data_migrations";

	/**
	 * Set the version of the data migration that must be done.
	 * @param version the version of its {@code @DataMigration}
	 */
	public void setVersion(String version) {
		this.version = version;
	}

	/**
	 * Set the history table, when {@code data-migrate.table-name} is not the default.
	 * @param table the history table
	 */
	public void setTable(String table) {
		this.table = table;
	}

	@Override
	public void check(Database database) throws CustomPreconditionFailedException, CustomPreconditionErrorException {
		if (this.version == null) {
			throw new CustomPreconditionErrorException("The precondition " + getClass().getName()
					+ " needs the version of a data migration: add <param name=\"version\" value=\"...\"/>");
		}
		Optional<String> refusal;
		try {
			refusal = FinishGate.check(((JdbcConnection) database.getConnection()).getUnderlyingConnection(),
					this.table, this.version);
		}
		catch (RuntimeException ex) {
			throw new CustomPreconditionErrorException("Could not read data migration " + this.version + " from "
					+ this.table + ": " + ex.getMessage(), ex);
		}
		if (refusal.isPresent()) {
			throw new CustomPreconditionFailedException(refusal.get() + " Label this changeset post-deploy "
					+ "(data-migrate.liquibase.post-deploy-label) so that it is applied after the data migrations, or "
					+ "deploy it only once the data migration has finished. " + FinishGate.skipWayOut());
		}
	}

}
