package dev.datamigrate.actuate.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.datamigrate.DataMigrationListener;
import dev.datamigrate.DataMigrations;
import dev.datamigrate.DataMigrations.DataMigrationsStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The meters of SPEC.md: timer {@code data.migration} (tags {@code version}, {@code outcome}),
 * counters {@code data.migration.records}, {@code data.migration.batches} and
 * {@code data.migration.batch.retries} and {@code data.migration.throttled.duration} (seconds; tag
 * {@code version}), gauges {@code data.migrations.pending}, {@code data.migrations.failed} and
 * {@code data.migration.throttled} (1 while a throttle holds the walk; tag {@code version}), and long-task timer
 * {@code data.migration.active}. The two timers come from here only when the application has no
 * {@code ObservationRegistry}; otherwise the observation of each run makes them
 * ({@link dev.datamigrate.observation.DataMigrationObservations}). The gauges read the history table at
 * most every few seconds.
 */
public class DataMigrationMetrics implements DataMigrationListener {

	private static final Duration STATUS_TTL = Duration.ofSeconds(5);

	private final DataMigrations migrations;

	private final Map<String, LongTaskTimer.Sample> active = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> throttled = new ConcurrentHashMap<>();

	private final MeterRegistry registry;

	private final boolean timers;

	private volatile @Nullable DataMigrationsStatus status;

	private volatile long statusReadAt;

	/**
	 * Create the metrics and register the gauges. The registry is taken at once, not bound later, so
	 * that migrations run at startup are measured too.
	 * @param registry the registry
	 * @param migrations the migrations, read for the gauges
	 * @param timers whether to time the runs here, when no observation does
	 */
	public DataMigrationMetrics(MeterRegistry registry, DataMigrations migrations, boolean timers) {
		this.registry = registry;
		this.migrations = migrations;
		this.timers = timers;
		Gauge.builder("data.migrations.pending", this, (metrics) -> metrics.status().pending())
			.description("Data migrations that have yet to run, including paused ones")
			.register(registry);
		Gauge.builder("data.migrations.failed", this, (metrics) -> metrics.status().failed())
			.description("Data migrations that failed and halt the queue")
			.register(registry);
	}

	private DataMigrationsStatus status() {
		long now = System.nanoTime();
		if (this.status == null || now - this.statusReadAt > STATUS_TTL.toNanos()) {
			this.status = this.migrations.status();
			this.statusReadAt = now;
		}
		return this.status;
	}

	@Override
	public void migrationStarted(String version) {
		if (!this.timers) {
			return;
		}
		this.active.put(version, LongTaskTimer.builder("data.migration.active")
			.description("Data migrations running now")
			.tag("version", version)
			.register(this.registry)
			.start());
	}

	@Override
	public void batchCommitted(String version, int records) {
		Counter.builder("data.migration.records")
			.description("Records processed by data migration batches")
			.tag("version", version)
			.register(this.registry)
			.increment(records);
		Counter.builder("data.migration.batches")
			.description("Data migration batches committed")
			.tag("version", version)
			.register(this.registry)
			.increment();
	}

	@Override
	public void batchRetried(String version) {
		Counter.builder("data.migration.batch.retries")
			.description("Data migration batches rolled back by a transient error and tried again")
			.tag("version", version)
			.register(this.registry)
			.increment();
	}

	@Override
	public void migrationThrottled(String version, String reason) {
		this.throttled.computeIfAbsent(version, (key) -> {
			AtomicInteger held = new AtomicInteger();
			Gauge.builder("data.migration.throttled", held, AtomicInteger::get)
				.description("1 while a throttle holds the data migration's walk back, else 0")
				.tag("version", version)
				.register(this.registry);
			return held;
		}).set(1);
	}

	@Override
	public void migrationUnthrottled(String version, Duration held) {
		AtomicInteger throttled = this.throttled.get(version);
		if (throttled != null) {
			throttled.set(0);
		}
		Counter.builder("data.migration.throttled.duration")
			.description("Time data migration walks were held back by a throttle")
			.baseUnit("seconds")
			.tag("version", version)
			.register(this.registry)
			.increment(held.toNanos() / 1e9);
	}

	@Override
	public void migrationFinished(String version, Outcome outcome, Duration duration) {
		this.status = null;
		LongTaskTimer.Sample sample = this.active.remove(version);
		if (sample != null) {
			sample.stop();
		}
		if (!this.timers) {
			return;
		}
		Timer.builder("data.migration")
			.description("Runs of data migrations")
			.tag("version", version)
			.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
			.register(this.registry)
			.record(duration);
	}

}
