package dev.datamigrate.runner;

import java.util.function.BooleanSupplier;

import dev.datamigrate.DataMigrationListener;
import dev.datamigrate.batch.ParallelWalks;
import dev.datamigrate.database.Database;
import dev.datamigrate.history.MigrationHistory;
import dev.datamigrate.throttle.Throttles;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What every run of the application's migrations shares.
 *
 * @param history the history table
 * @param database the database
 * @param jdbc template on the application's data source
 * @param newTransaction template that starts a transaction of its own
 * @param settings how to run
 * @param shutdownRequested whether the application is shutting down
 * @param listener told what the runner does
 * @param throttles what may hold a walk back
 * @param parallel what the instance's parallel walks share
 */
record RunContext(MigrationHistory history, Database database, JdbcTemplate jdbc, TransactionTemplate newTransaction,
		RunnerSettings settings, BooleanSupplier shutdownRequested, DataMigrationListener listener,
		Throttles throttles, ParallelWalks parallel) {

}
