package dev.datamigrate.batch;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.datamigrate.Throttle;
import dev.datamigrate.Throttle.Decision;
import dev.datamigrate.throttle.ThrottleCheck;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The throttles of one walk: asked before a batch, at most once per interval, they hold the walk while one
 * of them backs off. A check that throws is warned of once and counts as go on, so that a missing
 * privilege never stops a migration.
 */
final class WalkThrottle implements Throttle.Context {

	private static final Logger logger = LoggerFactory.getLogger(WalkThrottle.class);

	private final List<ThrottleCheck> checks;

	private final long intervalNanos;

	private final String table;

	private final BatchProgress progress;

	private final TransactionTemplate outsideTransactions;

	private final Set<String> warned = new HashSet<>();

	private Duration lastBatchDuration;

	private long nextRound = System.nanoTime();

	WalkThrottle(List<ThrottleCheck> checks, Duration interval, String table, BatchProgress progress,
			TransactionTemplate transactions) {
		this.checks = checks;
		// a transactional migration walks inside its own transaction: a check that joined it would read
		// with its connection, and keep it from ending while held
		this.outsideTransactions = new TransactionTemplate(transactions.getTransactionManager());
		this.outsideTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
		this.intervalNanos = interval.toNanos();
		this.table = table;
		this.progress = progress;
	}

	/**
	 * Wait until the throttles let the next batch run.
	 * @return {@code false} when a stop came while held
	 */
	boolean awaitTurn() {
		if (this.checks.isEmpty() || System.nanoTime() - this.nextRound < 0) {
			return true;
		}
		Decision decision = decide();
		if (decision.backsOff()) {
			long heldSince = System.nanoTime();
			this.progress.throttled(decision.reason(), decision.backoff());
			try {
				do {
					if (!RetryBackOff.waitUnlessStopped(decision.backoff().toMillis(), this.progress::stopRequested)) {
						return false;
					}
					decision = decide();
				}
				while (decision.backsOff());
			}
			finally {
				this.progress.unthrottled(Duration.ofNanos(System.nanoTime() - heldSince));
			}
		}
		this.nextRound = System.nanoTime() + this.intervalNanos;
		return true;
	}

	void batchTook(long nanos) {
		this.lastBatchDuration = Duration.ofNanos(nanos);
	}

	private Decision decide() {
		return this.outsideTransactions.execute((status) -> decideNow());
	}

	private Decision decideNow() {
		for (ThrottleCheck check : this.checks) {
			try {
				Decision decision = check.throttle().check(this);
				if (decision != null && decision.backsOff()) {
					return decision;
				}
			}
			catch (Exception ex) {
				if (this.warned.add(check.name())) {
					logger.warn("Throttle check " + check.name() + " failed, so data migration " + version()
							+ " goes on without it: " + ((ex.getMessage() != null) ? ex.getMessage() : ex));
					logger.debug("Throttle check " + check.name() + " failed", ex);
				}
			}
		}
		return Decision.proceed();
	}

	@Override
	public String version() {
		return this.progress.version();
	}

	@Override
	public String table() {
		return this.table;
	}

	@Override
	public Duration lastBatchDuration() {
		return this.lastBatchDuration;
	}

}
