package dev.datamigrate.batch;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Reads the keys of a walk's next batch (or only their bounds, a {@link KeyRange}) on a thread and
 * connection of its own while the current batch runs, so that the database selects them while it updates
 * the current batch's rows instead of after, or holds those a batch read in its own round trip.
 * The read never decides anything: when it failed, or got no connection from the pool while the current
 * batch ran, the batch selects its keys itself, on its own connection, and the walk reads no more keys
 * ahead.
 *
 * @param <K> the key type
 */
final class KeyReadAhead<K> implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(KeyReadAhead.class);

	/**
	 * How long a batch that needs the keys read ahead waits for the read to get a connection.
	 */
	private static final long CONNECTION_GRACE_MILLIS = 100;

	/**
	 * Selects the keys after a key, running the callback once it holds a connection.
	 */
	private final BiFunction<K, Runnable, List<K>> select;

	private final String name;

	private ExecutorService executor;

	private boolean enabled;

	private Pending<K> pending;

	KeyReadAhead(String name, boolean enabled, BiFunction<K, Runnable, List<K>> select) {
		this.name = name;
		this.enabled = enabled;
		this.select = select;
	}

	/**
	 * Start reading the keys after {@code after}, if reading ahead is on.
	 * @param after the current batch's last key
	 */
	void start(K after) {
		if (!this.enabled) {
			return;
		}
		if (this.executor == null) {
			this.executor = Executors.newSingleThreadExecutor((task) -> {
				Thread thread = new Thread(task, "data-migrate-keys-" + this.name);
				thread.setDaemon(true);
				return thread;
			});
		}
		CountDownLatch connected = new CountDownLatch(1);
		this.pending = new Pending<>(after, connected,
				this.executor.submit(() -> this.select.apply(after, connected::countDown)));
	}

	/**
	 * Hold the keys after {@code after}, read in the current batch's own round trip, for the next batch.
	 * @param after the current batch's last key
	 * @param keys the keys after it
	 */
	void readWith(K after, List<K> keys) {
		this.pending = new Pending<>(after, new CountDownLatch(0), CompletableFuture.completedFuture(keys));
	}

	/**
	 * The keys after {@code after}: those read ahead, or selected now on the calling thread.
	 * @param after the last key of the previous batch, {@code null} for the first
	 * @return the keys of the next batch
	 */
	List<K> next(K after) {
		Pending<K> pending = this.pending;
		this.pending = null;
		if (pending != null && Objects.equals(pending.after, after)) {
			try {
				if (pending.connected.await(CONNECTION_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
					return pending.keys.get();
				}
				// the pool is short of connections: reading ahead would only add waits
				giveUp(pending, "got no pooled connection");
			}
			catch (InterruptedException ex) {
				pending.keys.cancel(true);
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | CancellationException ex) {
				giveUp(pending, String.valueOf(ex.getCause()));
			}
		}
		return this.select.apply(after, () -> {
		});
	}

	private void giveUp(Pending<K> pending, String why) {
		pending.keys.cancel(true);
		this.enabled = false;
		logger.debug("Walk " + this.name + " reads no more keys ahead: the read " + why);
	}

	/**
	 * Drop a read still under way and end the thread, waiting briefly so that no query outlives the walk.
	 */
	@Override
	public void close() {
		if (this.executor == null) {
			return;
		}
		if (this.pending != null) {
			this.pending.keys.cancel(true);
			this.pending = null;
		}
		this.executor.shutdownNow();
		try {
			this.executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Pending<K>(K after, CountDownLatch connected, Future<List<K>> keys) {
	}

}
