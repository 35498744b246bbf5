package dev.datamigrate.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.util.unit.DataSize;

/**
 * The built-in database checks that hold batch walks back, under {@code data-migrate.throttle}.
 */
public class ThrottleProperties {

	/**
	 * Whether the built-in database checks hold walks back; the application's Throttle beans run either way.
	 */
	private boolean enabled = true;

	/**
	 * Shortest time between two rounds of checks of a walk, and how long a built-in check holds it before
	 * asking again.
	 */
	private Duration interval = Duration.ofSeconds(1);

	/**
	 * Largest replica lag a walk runs beside: PostgreSQL streaming replicas, and the MariaDB/MySQL
	 * replicas named in 'replicas'. 0 turns the check off.
	 */
	private Duration maxReplicationLag = Duration.ofSeconds(10);

	/**
	 * PostgreSQL: largest WAL an active logical replication slot may be behind while a walk runs. 0 turns
	 * the check off.
	 */
	private DataSize maxSlotLag = DataSize.ofGigabytes(1);

	/**
	 * PostgreSQL: whether an autovacuum preventing transaction ID wraparound on the walked table holds
	 * the walk until it ends.
	 */
	private boolean wraparoundVacuum = true;

	/**
	 * MariaDB/MySQL: largest Threads_running a walk runs beside. 0 turns the check off.
	 */
	private int maxThreadsRunning = 50;

	/**
	 * MariaDB/MySQL: names of DataSource beans of replicas whose lag holds walks back.
	 */
	private List<String> replicas = new ArrayList<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getInterval() {
		return this.interval;
	}

	public void setInterval(Duration interval) {
		this.interval = interval;
	}

	public Duration getMaxReplicationLag() {
		return this.maxReplicationLag;
	}

	public void setMaxReplicationLag(Duration maxReplicationLag) {
		this.maxReplicationLag = maxReplicationLag;
	}

	public DataSize getMaxSlotLag() {
		return this.maxSlotLag;
	}

	public void setMaxSlotLag(DataSize maxSlotLag) {
		this.maxSlotLag = maxSlotLag;
	}

	public boolean isWraparoundVacuum() {
		return this.wraparoundVacuum;
	}

	public void setWraparoundVacuum(boolean wraparoundVacuum) {
		this.wraparoundVacuum = wraparoundVacuum;
	}

	public int getMaxThreadsRunning() {
		return this.maxThreadsRunning;
	}

	public void setMaxThreadsRunning(int maxThreadsRunning) {
		this.maxThreadsRunning = maxThreadsRunning;
	}

	public List<String> getReplicas() {
		return this.replicas;
	}

	public void setReplicas(List<String> replicas) {
		this.replicas = replicas;
	}

}
