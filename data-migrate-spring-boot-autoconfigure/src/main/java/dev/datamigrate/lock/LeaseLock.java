package dev.datamigrate.lock;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

import javax.sql.DataSource;

import dev.datamigrate.database.Database;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;

/**
 * A lease row for databases without session locks: the holder renews it on a heartbeat, and when the
 * holder dies the lease expires and another instance takes it over.
 */
public class LeaseLock implements MigrationLock {

	private static final Log logger = LogFactory.getLog(LeaseLock.class);

	private static final long POLL_MILLIS = 250;

	private final JdbcTemplate jdbc;

	private final Database database;

	private final String table;

	private final String lockName;

	private final Duration leaseDuration;

	private final TaskScheduler heartbeats;

	/**
	 * Create the lease of a history table, kept in a table named after it with {@code _lock}.
	 * @param dataSource the data source
	 * @param database the database
	 * @param historyTable the history table
	 * @param leaseDuration how long a lease lasts without a heartbeat
	 * @param heartbeats where the holder's renewals are scheduled
	 */
	public LeaseLock(DataSource dataSource, Database database, String historyTable, Duration leaseDuration,
			TaskScheduler heartbeats) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.database = database;
		this.table = historyTable + "_lock";
		this.lockName = historyTable;
		this.leaseDuration = leaseDuration;
		this.heartbeats = heartbeats;
	}

	@Override
	public Optional<Handle> acquire(Duration timeout) throws InterruptedException {
		createIfAbsent();
		String token = UUID.randomUUID().toString();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!tryLease(token)) {
			if (System.nanoTime() - deadline >= 0) {
				return Optional.empty();
			}
			Thread.sleep(POLL_MILLIS);
		}
		return Optional.of(new LeaseHandle(token));
	}

	private void createIfAbsent() {
		this.jdbc.execute("create table if not exists " + this.table + " (lock_name " + this.database.type("text(100)")
				+ " not null primary key, owner_token " + this.database.type("text(64)") + ", expires_at "
				+ this.database.type("timestamp") + ")");
		try {
			this.jdbc.update("insert into " + this.table + " (lock_name) values (?)", this.lockName);
		}
		catch (DuplicateKeyException ex) {
			// another instance made it first
		}
	}

	private boolean tryLease(String token) {
		Timestamp now = Timestamp.from(Instant.now());
		return this.jdbc.update("update " + this.table + " set owner_token = ?, expires_at = ? "
				+ "where lock_name = ? and (owner_token is null or expires_at < ?)", token, expiry(), this.lockName,
				now) == 1;
	}

	private boolean renew(String token) {
		return this.jdbc.update("update " + this.table + " set expires_at = ? where lock_name = ? and owner_token = ?",
				expiry(), this.lockName, token) == 1;
	}

	private Timestamp expiry() {
		return Timestamp.from(Instant.now().plus(this.leaseDuration));
	}

	private final class LeaseHandle implements Handle {

		private final String token;

		private final ScheduledFuture<?> renewals;

		private volatile boolean held = true;

		LeaseHandle(String token) {
			this.token = token;
			Duration period = Duration.ofMillis(Math.max(1, LeaseLock.this.leaseDuration.toMillis() / 3));
			this.renewals = LeaseLock.this.heartbeats.scheduleAtFixedRate(this::beat, Instant.now().plus(period),
					period);
		}

		// synchronized with close(), so that a renewal under way never reads a released lease as lost
		private synchronized void beat() {
			try {
				if (this.held && !renew(this.token)) {
					logger.warn("Lost the data migration lease: another instance took it over");
					this.held = false;
				}
			}
			catch (DataAccessException ex) {
				logger.warn("Could not renew the data migration lease", ex);
			}
		}

		@Override
		public boolean isHeld() {
			return this.held;
		}

		@Override
		public synchronized void close() {
			this.renewals.cancel(false);
			if (this.held) {
				this.held = false;
				LeaseLock.this.jdbc.update("update " + LeaseLock.this.table
						+ " set owner_token = null, expires_at = null where lock_name = ? and owner_token = ?",
						LeaseLock.this.lockName, this.token);
			}
		}

	}

}
