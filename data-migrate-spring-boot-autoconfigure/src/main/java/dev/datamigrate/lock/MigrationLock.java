package dev.datamigrate.lock;

import java.time.Duration;
import java.util.Optional;

/**
 * The cluster-wide lock that lets one instance at a time run migrations. Every implementation dies
 * with its holder: no lock ever needs a manual unlock after a crash.
 */
public interface MigrationLock {

	/**
	 * Wait for the lock.
	 * @param timeout how long to wait while another instance holds it
	 * @return the held lock, or empty when the wait timed out
	 * @throws InterruptedException if the waiting thread was interrupted
	 */
	Optional<Handle> acquire(Duration timeout) throws InterruptedException;

	/**
	 * A held lock.
	 */
	interface Handle extends AutoCloseable {

		/**
		 * Whether the lock is still held: the connection or lease that holds it is alive.
		 * @return whether the lock is held
		 */
		boolean isHeld();

		/**
		 * Release the lock.
		 */
		@Override
		void close();

	}

}
