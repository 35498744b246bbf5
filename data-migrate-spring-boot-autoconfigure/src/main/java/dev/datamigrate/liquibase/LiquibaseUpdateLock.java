package dev.datamigrate.liquibase;

import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

import dev.datamigrate.database.Database;
import dev.datamigrate.lock.MigrationLock;
import dev.datamigrate.lock.MigrationLock.Handle;
import liquibase.integration.spring.SpringLiquibase;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.scheduling.TaskScheduler;

/**
 * Holds a lock of the database session around the application's Liquibase update, from before the bean
 * initializes to after: Liquibase creates its {@code databasechangelog} table before it takes its
 * changelog lock ({@link SessionLockService}), so instances starting together on a fresh database would
 * otherwise race to create it. Only on databases with session locks (PostgreSQL, MariaDB/MySQL); an
 * asynchronous Liquibase updates after its bean has initialized, under its changelog lock only.
 */
public class LiquibaseUpdateLock implements BeanPostProcessor, DisposableBean {

	private final Duration waitTimeout;

	private final ObjectProvider<TaskScheduler> heartbeats;

	private volatile SpringLiquibase application;

	private volatile @Nullable Handle held;

	/**
	 * Create the lock.
	 * @param waitTimeout how long an instance waits for another one's update ({@code data-migrate.lock.wait-timeout})
	 * @param heartbeats where lease renewals are scheduled (the session locks this lock takes have none)
	 */
	public LiquibaseUpdateLock(Duration waitTimeout, ObjectProvider<TaskScheduler> heartbeats) {
		this.waitTimeout = waitTimeout;
		this.heartbeats = heartbeats;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof SpringLiquibase liquibase && this.application == null) {
			this.application = liquibase;
			lock(liquibase.getDataSource(), liquibase.getDatabaseChangeLogTable());
		}
		return bean;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean == this.application) {
			release();
		}
		return bean;
	}

	/**
	 * Let go of the lock of an update that failed, whose bean never finished initializing.
	 */
	@Override
	public void destroy() {
		release();
	}

	private void lock(DataSource dataSource, String changelogTable) {
		Database database = Database.of(dataSource);
		if (!database.hasSessionLocks()) {
			return;
		}
		String table = "liquibase-update." + ((changelogTable != null) ? changelogTable : "databasechangelog");
		MigrationLock lock = database.lock(dataSource, table, this.waitTimeout, this.heartbeats.getObject());
		Optional<Handle> handle;
		try {
			handle = lock.acquire(this.waitTimeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for another instance's Liquibase update", ex);
		}
		this.held = handle.orElseThrow(() -> new IllegalStateException("Another instance applied the Liquibase "
				+ "changelog for longer than " + this.waitTimeout + " (data-migrate.lock.wait-timeout); start again "
				+ "once it is done, or raise data-migrate.lock.wait-timeout"));
	}

	private void release() {
		Handle handle = this.held;
		this.held = null;
		if (handle != null) {
			handle.close();
		}
	}

}
