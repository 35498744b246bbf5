package dev.datamigrate.batch;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Waits between attempts that an exponential backoff sizes. It waits itself, watching for a stop
 * request, so that a pause or a shutdown does not wait for the backoff to end; {@code RetryTemplate}'s
 * own sleep is then nothing.
 */
public final class RetryBackOff implements BackOff {

	private static final long POLL_MILLIS = 100;

	private final ExponentialBackOff exponential;

	private final BooleanSupplier stopRequested;

	private final Retrying retrying;

	/**
	 * Wait as an exponential backoff says, until a stop is requested.
	 * @param exponential the waits
	 * @param stopRequested whether to stop waiting, and attempting
	 * @param retrying told before each wait
	 */
	public RetryBackOff(ExponentialBackOff exponential, BooleanSupplier stopRequested, Retrying retrying) {
		this.exponential = exponential;
		this.stopRequested = stopRequested;
		this.retrying = retrying;
	}

	/**
	 * The waits between a batch's attempts: from 1 s, doubling up to 1 min, with jitter.
	 * @param maxAttempts the attempts in all
	 * @return the backoff's waits
	 */
	static ExponentialBackOff batchAttempts(int maxAttempts) {
		ExponentialBackOff exponential = new ExponentialBackOff(1000, 2);
		exponential.setMaxInterval(60_000);
		exponential.setJitter(250);
		exponential.setMaxAttempts(maxAttempts - 1);
		return exponential;
	}

	@Override
	public BackOffExecution start() {
		BackOffExecution delays = this.exponential.start();
		int[] failed = { 0 };
		return () -> {
			long delay = delays.nextBackOff();
			if (delay == BackOffExecution.STOP || this.stopRequested.getAsBoolean()) {
				return BackOffExecution.STOP;
			}
			this.retrying.before(++failed[0], Duration.ofMillis(delay));
			return waitUnlessStopped(delay, this.stopRequested) ? 0 : BackOffExecution.STOP;
		};
	}

	/**
	 * Wait, watching for a stop request every 100 ms.
	 * @param millis how long
	 * @param stopRequested whether to stop waiting
	 * @return whether the wait ended without a stop request
	 */
	static boolean waitUnlessStopped(long millis, BooleanSupplier stopRequested) {
		long deadline = System.nanoTime() + millis * 1_000_000;
		try {
			for (long left = millis; left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
				Thread.sleep(Math.min(left, POLL_MILLIS));
				if (stopRequested.getAsBoolean()) {
					return false;
				}
			}
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Told before each wait.
	 */
	@FunctionalInterface
	public interface Retrying {

		/**
		 * An attempt failed; the next follows the backoff.
		 * @param attempt the attempt that failed, from 1
		 * @param backoff the wait
		 */
		void before(int attempt, Duration backoff);

	}

}
