package dev.datamigrate.runner;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.datamigrate.RunResult;
import dev.datamigrate.batch.RetryBackOff;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * A run in the background that a lost connection or lock interrupts starts again, from 1 s later up to
 * every 30 s, for 10 minutes, until the application shuts down.
 */
final class Resuming {

	private static final Log logger = LogFactory.getLog(Resuming.class);

	private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

	private static final Duration RESUME_FOR = Duration.ofMinutes(10);

	private Resuming() {
	}

	static RunResult run(Supplier<RunResult> run, BooleanSupplier shuttingDown) {
		ExponentialBackOff delays = new ExponentialBackOff(1000, 2);
		delays.setMaxInterval(LONGEST_WAIT.toMillis());
		delays.setMaxElapsedTime(RESUME_FOR.toMillis());
		RetryTemplate resumes = new RetryTemplate(RetryPolicy.builder()
			.predicate((error) -> error instanceof Interrupted || error instanceof DataAccessResourceFailureException)
			.backOff(new RetryBackOff(delays, shuttingDown, (attempt, backoff) -> logger
				.info("Data migrations were interrupted; running them again in " + backoff.toMillis() + " ms")))
			.build());
		AtomicReference<RunResult> last = new AtomicReference<>();
		try {
			return resumes.execute(() -> {
				RunResult result = run.get();
				last.set(result);
				if (result.outcome() == RunResult.Outcome.INTERRUPTED && !shuttingDown.getAsBoolean()) {
					throw new Interrupted();
				}
				return result;
			});
		}
		catch (RetryException ex) {
			if (last.get() != null) {
				return last.get();
			}
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : new IllegalStateException(ex);
		}
	}

	/**
	 * A run that lost its connection or lock, to be run again.
	 */
	private static final class Interrupted extends RuntimeException {

		Interrupted() {
			super(null, null, false, false);
		}

	}

}
