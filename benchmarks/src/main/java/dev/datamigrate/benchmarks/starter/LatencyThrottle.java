package dev.datamigrate.benchmarks.starter;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.datamigrate.Throttle;

/**
 * A user's {@link Throttle}, as an application that watches its own latency would write one: it holds the
 * backfill back while pgbench's p99 latency over the last second of its per-transaction log is above a limit.
 * It tails the log files ({@code client_id transaction_no latency_us script_no epoch_s epoch_us}, one file per
 * pgbench thread) that {@link #watch} names; the last second is the second before the newest transaction
 * logged (pgbench writes its log through a buffer, so the newest lines are always a little behind). So that
 * other load on the machine, which it cannot tell from the backfill's, cannot hold the backfill for ever, it
 * lets the walk go on once it has held it for {@link #MAX_HOLD} in one go (the walk then runs batches for a
 * {@code data-migrate.throttle.interval} before it asks again). It lets the walk go on while it watches nothing.
 */
public final class LatencyThrottle implements Throttle {

	/** How long the walk waits before it asks again. */
	public static final Duration BACKOFF = Duration.ofMillis(200);

	/** The longest it holds the walk in one go. */
	public static final Duration MAX_HOLD = Duration.ofSeconds(5);

	private static final long WINDOW_MICROS = 1_000_000;

	/** With nothing logged for this long, pgbench is stalled: hold the walk. */
	private static final long STALE_MICROS = 2_000_000;

	private final ArrayDeque<long[]> recent = new ArrayDeque<>();

	private List<Tail> tails = List.of();

	private long limitMicros;

	private long newestMicros;

	private long heldSinceNanos;

	private int releases;

	/**
	 * Watch these pgbench logs from now on.
	 * @param logs the log files of one pgbench run (they may not exist yet)
	 * @param limitMicros the p99 above which the walk is held, in microseconds
	 */
	public synchronized void watch(List<Path> logs, long limitMicros) {
		this.tails = logs.stream().map(Tail::new).toList();
		this.limitMicros = limitMicros;
		this.recent.clear();
		this.newestMicros = System.currentTimeMillis() * 1000;
		this.heldSinceNanos = 0;
		this.releases = 0;
	}

	/**
	 * How often, since {@link #watch}, it let the walk go on because it had held it for {@link #MAX_HOLD}.
	 * @return the count
	 */
	public synchronized int releases() {
		return this.releases;
	}

	/** Watch nothing: let walks go on. */
	public synchronized void stop() {
		this.tails = List.of();
		this.recent.clear();
	}

	@Override
	public synchronized Decision check(Context context) throws IOException {
		if (this.tails.isEmpty()) {
			return Decision.proceed();
		}
		Decision decision = decide();
		long now = System.nanoTime();
		if (!decision.backsOff()) {
			this.heldSinceNanos = 0;
		}
		else if (this.heldSinceNanos == 0) {
			this.heldSinceNanos = now;
		}
		else if (now - this.heldSinceNanos >= MAX_HOLD.toNanos()) {
			this.heldSinceNanos = 0;
			this.releases++;
			return Decision.proceed();
		}
		return decision;
	}

	private Decision decide() throws IOException {
		for (Tail tail : this.tails) {
			tail.read(this.recent);
		}
		for (long[] transaction : this.recent) {
			this.newestMicros = Math.max(this.newestMicros, transaction[0]);
		}
		long now = System.currentTimeMillis() * 1000;
		if (now - this.newestMicros > STALE_MICROS) {
			return Decision.backOff(BACKOFF, String.format(Locale.ROOT, "pgbench logged no transaction for %.1f s",
					(now - this.newestMicros) / 1e6));
		}
		this.recent.removeIf((transaction) -> transaction[0] < this.newestMicros - WINDOW_MICROS);
		long[] latencies = this.recent.stream().mapToLong((transaction) -> transaction[1]).toArray();
		if (latencies.length == 0) {
			return Decision.proceed();
		}
		Arrays.sort(latencies);
		long p99 = latencies[Math.max(0, (int) Math.ceil(0.99 * latencies.length) - 1)];
		if (p99 > this.limitMicros) {
			return Decision.backOff(BACKOFF, String.format(Locale.ROOT, "pgbench p99 %.2f ms over its last second "
					+ "(%d transactions) is above %.2f ms", p99 / 1e3, latencies.length, this.limitMicros / 1e3));
		}
		return Decision.proceed();
	}

	/**
	 * One log file, read from where the last read stopped, whole lines only.
	 */
	private static final class Tail {

		private final Path file;

		private final StringBuilder partial = new StringBuilder();

		private long position;

		Tail(Path file) {
			this.file = file;
		}

		/** Add {completion time in epoch µs, latency in µs} of each transaction logged since the last read. */
		void read(ArrayDeque<long[]> into) throws IOException {
			if (!Files.exists(this.file)) {
				return;
			}
			byte[] bytes;
			try (RandomAccessFile in = new RandomAccessFile(this.file.toFile(), "r")) {
				long length = in.length();
				if (length <= this.position) {
					return;
				}
				bytes = new byte[(int) Math.min(length - this.position, 64L << 20)];
				in.seek(this.position);
				in.readFully(bytes);
				this.position += bytes.length;
			}
			this.partial.append(new String(bytes, StandardCharsets.US_ASCII));
			int end = this.partial.lastIndexOf("\n");
			if (end < 0) {
				return;
			}
			List<long[]> parsed = new ArrayList<>();
			for (String line : this.partial.substring(0, end).split("\n")) {
				long[] transaction = parse(line);
				if (transaction != null) {
					parsed.add(transaction);
				}
			}
			this.partial.delete(0, end + 1);
			into.addAll(parsed);
		}

	}

	/**
	 * One line of pgbench's per-transaction log.
	 * @param line {@code client_id transaction_no latency_us script_no epoch_s epoch_us [...]}
	 * @return {completion time in epoch µs, latency in µs}, or {@code null} for a line of another shape
	 */
	public static long[] parse(String line) {
		String[] fields = line.trim().split(" ");
		if (fields.length < 6) {
			return null;
		}
		try {
			return new long[] { Long.parseLong(fields[4]) * 1_000_000 + Long.parseLong(fields[5]),
					Long.parseLong(fields[2]) };
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
