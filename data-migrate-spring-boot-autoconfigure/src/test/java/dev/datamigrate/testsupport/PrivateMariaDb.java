package dev.datamigrate.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A MariaDB 10.11 server of a test's own: a data directory made by {@code mariadb-install-db} in a
 * fresh directory under the module's {@code target/private-mariadb}, on a free port of 127.0.0.1, for
 * tests that must never touch the shared server on 3306.
 * <p>
 * The server reads no option file, keeps its grant tables (root without a password, as
 * {@code --auth-root-authentication-method=normal} makes it), writes a binary log with a
 * {@code server_id} of its own in the JVM, has small InnoDB buffers, no doublewrite, no redo log flush at
 * each commit, and logs, like {@code mariadb-install-db}, to {@code server.log} in its directory. It has
 * a database {@code test}, which {@link #jdbcUrl()} points at. When the tests run as root, so does the
 * server ({@code --user=root}): unlike PostgreSQL's, it then owns its files and reaches {@code target/},
 * with no other operating system user. {@link PrivateMariaDbProcess} runs it.
 * <p>
 * {@link #close()} kills the server and deletes its directory; a JVM shutdown hook does the same for
 * servers a test left open, and the next {@link #start()} removes the servers of JVMs that died
 * without running it. Every step is bounded in time and fails with the tail of the log.
 * <p>
 * {@link #startReplica()} makes a replica of such a server, a server of the same kind in a directory and
 * on a port of its own; {@link PrivateMariaDbReplication} holds its controls and waits.
 */
public final class PrivateMariaDb implements AutoCloseable {

	private static final String DATABASE = "test";

	private static final Set<PrivateMariaDb> open = ConcurrentHashMap.newKeySet();

	static {
		PrivateServers.closeAtExit(open, "private-mariadb-shutdown");
	}

	private final PrivateMariaDbProcess process;

	private final PrivateMariaDb primary;

	private boolean closed;

	private PrivateMariaDb(PrivateMariaDbProcess process, PrivateMariaDb primary) {
		this.process = process;
		this.primary = primary;
	}

	/**
	 * Make a new data directory, start a server on it and create its database {@code test}.
	 * @return the running server; close it when done
	 * @throws IllegalStateException if the directory cannot be made or the server does not start in time
	 */
	public static PrivateMariaDb start() {
		return make(null);
	}

	/**
	 * Make a replica of this server: a new server that replicates, by GTID, all this one's binary log from
	 * its start, its database {@code test} included; wait until both its threads run and it has caught up.
	 * Closing either server first is safe: a replica whose primary is gone retries until it is closed.
	 * @return the running replica; close it when done
	 * @throws IllegalStateException if this server is a replica or closed, or the replica does not start
	 * or catch up in time
	 */
	public synchronized PrivateMariaDb startReplica() {
		if (this.closed || this.primary != null) {
			throw new IllegalStateException(this + " is closed or a replica itself");
		}
		return make(this);
	}

	private static PrivateMariaDb make(PrivateMariaDb primary) {
		long started = System.nanoTime();
		PrivateMariaDb mariaDb = new PrivateMariaDb(PrivateMariaDbProcess.inNewDirectory(), primary);
		open.add(mariaDb);
		try {
			mariaDb.process.install();
			long installed = System.nanoTime();
			mariaDb.process.start();
			long running = System.nanoTime();
			if (primary == null) {
				mariaDb.execute("create database " + DATABASE);
			}
			else {
				PrivateMariaDbReplication.start(mariaDb);
			}
			System.out.println(PrivateServers.PREFIX + "private MariaDB " + mariaDb + " made in "
					+ TimeUnit.NANOSECONDS.toMillis(installed - started) + " ms, started in "
					+ TimeUnit.NANOSECONDS.toMillis(running - installed) + " ms"
					+ ((primary != null) ? ", replicating in " + PrivateServers.millisSince(running) + " ms" : ""));
			return mariaDb;
		}
		catch (RuntimeException | Error ex) {
			PrivateServers.closeQuietly(mariaDb);
			throw ex;
		}
	}

	/**
	 * Delay this replica's applying by {@code MASTER_DELAY}: {@code STOP SLAVE}, {@code CHANGE MASTER TO},
	 * {@code START SLAVE}. {@link Duration#ZERO} ends the delay.
	 * @param delay the delay, in whole seconds
	 */
	public void setReplicationDelay(Duration delay) {
		PrivateMariaDbReplication.setDelay(replica(), delay);
	}

	/** Stop this replica's SQL thread; its IO thread still fetches the primary's binary log. */
	public void stopReplicationSqlThread() {
		PrivateMariaDbReplication.execute(replica(), "stop slave sql_thread");
	}

	/** Start this replica's SQL thread again. */
	public void startReplicationSqlThread() {
		PrivateMariaDbReplication.execute(replica(), "start slave sql_thread");
	}

	/**
	 * Wait until {@code Slave_IO_Running} and {@code Slave_SQL_Running} are both {@code Yes}.
	 * @param timeout how long to wait at most
	 */
	public void awaitReplicating(Duration timeout) {
		PrivateMariaDbReplication.awaitReplicating(replica(), timeout);
	}

	/**
	 * Wait until this replica has applied all the primary's binary log ({@code MASTER_GTID_WAIT}).
	 * @param timeout how long to wait at most
	 */
	public void awaitCaughtUp(Duration timeout) {
		PrivateMariaDbReplication.awaitCaughtUp(replica(), timeout);
	}

	/**
	 * {@code Seconds_Behind_Master} of {@code SHOW REPLICA STATUS}.
	 * @return the seconds, {@code null} when the server shows {@code NULL}, as with the SQL thread stopped
	 */
	public Long secondsBehind() {
		return PrivateMariaDbReplication.secondsBehind(replica());
	}

	/** The primary of this replica, {@code null} for a server made by {@link #start()}. */
	PrivateMariaDb primary() {
		return this.primary;
	}

	private PrivateMariaDb replica() {
		if (this.primary == null || this.closed) {
			throw new IllegalStateException(this + " is no replica or closed; make one with startReplica()");
		}
		return this;
	}

	/**
	 * The JDBC URL of the database {@code test}.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return "jdbc:mariadb://127.0.0.1:" + port() + "/" + DATABASE;
	}

	/**
	 * The superuser, {@code root}.
	 * @return the user name
	 */
	public String username() {
		return PrivateMariaDbProcess.USERNAME;
	}

	/**
	 * The password, empty: {@code mariadb-install-db} made root without one.
	 * @return the password
	 */
	public String password() {
		return "";
	}

	/**
	 * The TCP port the server listens on, on 127.0.0.1.
	 * @return the port
	 */
	public int port() {
		return this.process.port();
	}

	/**
	 * The directory of this server: its data directory {@code data} and its log {@code server.log}.
	 * @return the directory, gone once closed
	 */
	public Path directory() {
		return this.process.directory();
	}

	/**
	 * Open a plain connection to the database {@code test}.
	 * @return the connection
	 * @throws SQLException on failure
	 */
	public Connection connect() throws SQLException {
		return connect(DATABASE);
	}

	/**
	 * A new pooled data source on the database {@code test}; close it when done.
	 * @return the data source
	 */
	public HikariDataSource dataSource() {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(jdbcUrl());
		dataSource.setUsername(username());
		dataSource.setPassword(password());
		dataSource.setMaximumPoolSize(5);
		return dataSource;
	}

	/**
	 * Spring Boot properties that point an application at the database {@code test}.
	 * @return the properties as {@code key=value}
	 */
	public List<String> properties() {
		return List.of("spring.datasource.url=" + jdbcUrl(), "spring.datasource.username=" + username(),
				"spring.datasource.password=", "spring.datasource.hikari.maximum-pool-size=4");
	}

	/**
	 * Kill the server and delete its directory. Closing twice does nothing.
	 * @throws IllegalStateException if the server outlives the kill
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.process.killAndDelete();
		}
		finally {
			open.remove(this);
		}
	}

	@Override
	public String toString() {
		return "PrivateMariaDb[127.0.0.1:" + port() + ((this.primary != null) ? ", replica of 127.0.0.1:"
				+ this.primary.port() : "") + ", " + directory() + "]";
	}

	void execute(String sql) {
		try (Connection connection = connect(""); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw this.process.failure("Failed to run " + sql, ex);
		}
	}

	Connection connect(String database) throws SQLException {
		return this.process.connect(database);
	}

	String logTail() {
		return this.process.logTail();
	}

}
