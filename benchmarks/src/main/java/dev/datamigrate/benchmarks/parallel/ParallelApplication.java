package dev.datamigrate.benchmarks.parallel;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.datamigrate.Batches;
import dev.datamigrate.DataMigration;
import dev.datamigrate.DataMigrationContext;
import dev.datamigrate.DataMigrationListener;
import dev.datamigrate.DataMigrationTask;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application of the parallel-walk benchmark: the whole starter, Hikari with its defaults, and one
 * {@code @DataMigration} whose walk is set by {@code benchmark.parallel.*} properties: a handler that
 * sleeps {@code row-ms} per row of its batch and then updates the batch's rows (application-bound), or
 * the plain {@code update(sql)} backfill of the throughput benchmark (database-bound); plain or
 * {@code parallel(workers)}. JPA is left out (the module has it for another benchmark).
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
@Import(ParallelApplication.Walk.class)
public class ParallelApplication {

	/** The application-bound walk's table: {@code id bigint primary key, n int}, every row's n 0. */
	public static final String ITEMS = "parallel_items";

	/** The database-bound walk's statement, the throughput benchmark's (b) {@code update(sql)}. */
	public static final String UPDATE_BATCH = "update notify_log_entries set purpose = 'unknown' "
			+ "where purpose is null and id between :first and :last";

	static final String UPDATE_ITEMS = "update " + ITEMS + " set n = n + 1 where id between ? and ?";

	/**
	 * The benchmark's migration, and a clock of what this JVM's workers did: as a
	 * {@link DataMigrationListener} it is told of each committed batch on the worker's thread.
	 */
	@DataMigration(version = "1", description = "Parallel-walk benchmark")
	static class Walk implements DataMigrationTask, DataMigrationListener {

		private final JdbcTemplate jdbc;

		private final String work;

		private final int workers;

		private final int size;

		private final long rowMicros;

		private final Figures figures = new Figures();

		Walk(JdbcTemplate jdbc, @Value("${benchmark.parallel.work}") String work,
				@Value("${benchmark.parallel.workers}") int workers, @Value("${benchmark.parallel.size:0}") int size,
				@Value("${benchmark.parallel.row-micros:2000}") long rowMicros) {
			this.jdbc = jdbc;
			this.work = work;
			this.workers = workers;
			this.size = size;
			this.rowMicros = rowMicros;
		}

		@Override
		public void migrate(DataMigrationContext context) throws Exception {
			boolean application = this.work.equals("handler");
			Batches<Long> batches = context.batches(application ? ITEMS : "notify_log_entries");
			if (!application) {
				batches.where("purpose is null");
			}
			if (this.size > 0) {
				batches.size(this.size);
			}
			if (this.workers > 0) {
				batches.parallel(this.workers);
			}
			if (application) {
				batches.run(this::handle);
			}
			else {
				batches.update(UPDATE_BATCH);
			}
		}

		private long handle(Batches.Batch<Long> batch) throws InterruptedException {
			long start = System.nanoTime();
			// the application's time: a call to another service, rendering, encryption...
			Thread.sleep(batch.size() * this.rowMicros / 1000, (int) (batch.size() * this.rowMicros % 1000) * 1000);
			long changed = this.jdbc.update(UPDATE_ITEMS, batch.first(), batch.last());
			this.figures.handlerNanos.add(System.nanoTime() - start);
			return changed;
		}

		@Override
		public void batchCommitted(String version, int records, int size, Duration took) {
			long now = System.currentTimeMillis();
			this.figures.batches.increment();
			this.figures.records.add(records);
			this.figures.transactionNanos.add(took.toNanos());
			this.figures.firstStart.accumulateAndGet(now - took.toMillis(), Math::min);
			this.figures.lastCommit.accumulateAndGet(now, Math::max);
			this.figures.threads.add(Thread.currentThread().getName());
		}

		Figures figures() {
			return this.figures;
		}

	}

	/**
	 * What one JVM's workers did.
	 */
	static final class Figures {

		final LongAdder batches = new LongAdder();

		final LongAdder records = new LongAdder();

		final LongAdder transactionNanos = new LongAdder();

		final LongAdder handlerNanos = new LongAdder();

		final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);

		final AtomicLong lastCommit = new AtomicLong(0);

		final Set<String> threads = ConcurrentHashMap.newKeySet();

		/**
		 * The figures as one line, for the parent JVM to read ({@link JvmFigures#parse}).
		 */
		String line() {
			return String.format(Locale.ROOT, "%s%d %d %d %d %d %d %d %d", JvmFigures.PREFIX, this.batches.sum(),
					this.records.sum(), this.transactionNanos.sum(), this.handlerNanos.sum(),
					(this.batches.sum() > 0) ? this.firstStart.get() : 0, this.lastCommit.get(), this.threads.size(),
					ProcessHandle.current().pid());
		}

	}

	/**
	 * What one JVM's workers did, as its line tells.
	 *
	 * @param batches batches committed by this JVM
	 * @param records records they processed
	 * @param transactionNanos the sum of their transactions' times (each as the runner measured it)
	 * @param handlerNanos the sum of the handler's times (sleep and update), 0 for {@code update(sql)}
	 * @param firstStartMillis when its first batch's transaction began (epoch ms), 0 if none
	 * @param lastCommitMillis when its last batch committed (epoch ms), 0 if none
	 * @param threads how many threads committed batches
	 * @param pid the JVM's process id, as in its instance's {@code executed_by} ({@code host:pid})
	 */
	public record JvmFigures(long batches, long records, long transactionNanos, long handlerNanos,
			long firstStartMillis, long lastCommitMillis, int threads, long pid) {

		static final String PREFIX = "parallel-benchmark-result ";

		/**
		 * The figures of a line a JVM of the benchmark printed.
		 * @param line a line of its output
		 * @return the figures, or {@code null} for another line
		 */
		public static JvmFigures parse(String line) {
			if (!line.startsWith(PREFIX)) {
				return null;
			}
			String[] fields = line.substring(PREFIX.length()).trim().split(" ");
			return new JvmFigures(Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
					Long.parseLong(fields[3]), Long.parseLong(fields[4]), Long.parseLong(fields[5]),
					Integer.parseInt(fields[6]), Long.parseLong(fields[7]));
		}

	}

}
