package dev.datamigrate.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay to the database that holds every chunk of bytes for a fixed time in each direction, so
 * that a database on this machine answers as one across a network would: each round trip takes twice
 * the delay longer, while the bytes of one message still stream. Linux's {@code netem} does this in the
 * kernel; this machine has no {@code netem}.
 */
final class DelayingRelay implements AutoCloseable {

	private final ServerSocket server;

	private final InetSocketAddress target;

	private final long delayNanos;

	private DelayingRelay(InetSocketAddress target, long delayMicros) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.target = target;
		this.delayNanos = delayMicros * 1_000;
		daemon("relay-accept", this::accept).start();
	}

	/**
	 * Start relaying to a host and port.
	 * @param host the database's host
	 * @param port the database's port
	 * @param delayMicros how long each chunk is held in each direction
	 * @return the relay, listening on a loopback port of its own
	 */
	static DelayingRelay start(String host, int port, long delayMicros) throws IOException {
		return new DelayingRelay(new InetSocketAddress(host, port), delayMicros);
	}

	int port() {
		return this.server.getLocalPort();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				relay(this.server.accept());
			}
			catch (IOException ex) {
				if (!this.server.isClosed()) {
					throw new UncheckedIOException(ex);
				}
			}
		}
	}

	private void relay(Socket client) throws IOException {
		Socket database;
		try {
			database = new Socket(this.target.getAddress(), this.target.getPort());
		}
		catch (IOException ex) {
			// the client sees its connection closed, as it would with the database down
			client.close();
			return;
		}
		client.setTcpNoDelay(true);
		database.setTcpNoDelay(true);
		AtomicInteger open = new AtomicInteger(2);
		Runnable ended = () -> {
			if (open.decrementAndGet() == 0) {
				closeQuietly(client);
				closeQuietly(database);
			}
		};
		pipe(client, database, ended);
		pipe(database, client, ended);
	}

	/**
	 * Forward what one socket receives to the other, each chunk once it has been held for the delay; at
	 * the end of the stream, end the other socket's output too.
	 */
	private void pipe(Socket from, Socket to, Runnable ended) throws IOException {
		BlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
		InputStream in = from.getInputStream();
		OutputStream out = to.getOutputStream();
		daemon("relay-read", () -> {
			byte[] buffer = new byte[64 * 1024];
			try {
				for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
					chunks.add(new Chunk(System.nanoTime() + this.delayNanos, Arrays.copyOf(buffer, read)));
				}
			}
			catch (IOException ex) {
				// the connection broke
			}
			chunks.add(Chunk.END);
		}).start();
		daemon("relay-write", () -> {
			try {
				for (Chunk chunk = chunks.take(); chunk != Chunk.END; chunk = chunks.take()) {
					for (long wait = chunk.due - System.nanoTime(); wait > 0; wait = chunk.due - System.nanoTime()) {
						LockSupport.parkNanos(wait);
					}
					out.write(chunk.bytes);
				}
				to.shutdownOutput();
			}
			catch (IOException | InterruptedException ex) {
				// the connection broke
			}
			ended.run();
		}).start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

	private static Thread daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	private record Chunk(long due, byte[] bytes) {

		static final Chunk END = new Chunk(0, new byte[0]);

	}

}
