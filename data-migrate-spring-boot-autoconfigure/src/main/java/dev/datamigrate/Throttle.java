package dev.datamigrate;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A check that can hold a batch walk back while something the application cares about is under strain,
 * such as its own latency or a flag that stops all backfills. Every bean of this type is consulted before
 * a walk's batches, with the built-in database checks ({@code data-migrate.throttle.*}), at most once per
 * {@code data-migrate.throttle.interval}; the first that backs off holds the walk, which stays RUNNING and
 * shows the reason as {@code throttledBy}, until the checks all say go on. A check that throws is logged
 * once per walk and counts as go on.
 */
@FunctionalInterface
public interface Throttle {

	/**
	 * Decide whether the walk may run its next batch.
	 * @param context the walk
	 * @return {@link Decision#proceed()}, or {@link Decision#backOff} with how long to wait and why
	 * @throws Exception when the check cannot tell: the walk goes on
	 */
	Decision check(Context context) throws Exception;

	/**
	 * The walk a check is asked about.
	 */
	interface Context {

		/**
		 * Version of the migration that walks.
		 * @return the version
		 */
		String version();

		/**
		 * The table walked.
		 * @return the table name as the migration gave it
		 */
		String table();

		/**
		 * How long the walk's last committed batch took, or {@code null} before its first.
		 * @return the duration
		 */
		@Nullable Duration lastBatchDuration();

	}

	/**
	 * Go on, or wait for a while and ask again.
	 */
	final class Decision {

		private static final Decision PROCEED = new Decision(null, null);

		private final @Nullable Duration backoff;

		private final @Nullable String reason;

		private Decision(@Nullable Duration backoff, @Nullable String reason) {
			this.backoff = backoff;
			this.reason = reason;
		}

		/**
		 * Run the next batch.
		 * @return the decision
		 */
		public static Decision proceed() {
			return PROCEED;
		}

		/**
		 * Wait, then ask the checks again.
		 * @param backoff how long to wait, positive
		 * @param reason why, as operators should read it in the endpoint and the log
		 * @return the decision
		 */
		public static Decision backOff(Duration backoff, String reason) {
			Assert.isTrue(backoff != null && backoff.compareTo(Duration.ZERO) > 0, "A backoff must be positive");
			Assert.hasText(reason, "A backoff needs a reason");
			return new Decision(backoff, reason);
		}

		/**
		 * Whether the walk waits.
		 * @return whether it backs off
		 */
		public boolean backsOff() {
			return this.backoff != null;
		}

		/**
		 * How long to wait, or {@code null} to go on.
		 * @return the backoff
		 */
		public @Nullable Duration backoff() {
			return this.backoff;
		}

		/**
		 * Why to wait, or {@code null} to go on.
		 * @return the reason
		 */
		public @Nullable String reason() {
			return this.reason;
		}

		@Override
		public String toString() {
			return backsOff() ? "back off for " + this.backoff + ": " + this.reason : "proceed";
		}

	}

}
