package dev.datamigrate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What {@link PrivatePostgres} and {@link PrivateMariaDb} share: a server's directory marked with its
 * JVM and the sweep of those of dead JVMs, the shutdown hook, killing a process, deleting a tree, a
 * free port, a log's tail.
 */
final class PrivateServers {

	static final String PREFIX = "[data-migrate tests] ";

	private static final String OWNER = "owner";

	private static final Duration STALE_AGE = Duration.ofMinutes(10);

	private static final Set<Path> swept = ConcurrentHashMap.newKeySet();

	private PrivateServers() {
	}

	/**
	 * Make a new directory for a server under a base, marked as this JVM's so that the sweep of another
	 * JVM leaves it alone while this one lives.
	 * @param base the directory that holds the servers' directories, made if missing
	 * @param prefix the start of the new directory's name
	 * @return the new directory
	 * @throws IOException if it cannot be made
	 */
	static Path newDirectory(Path base, String prefix) throws IOException {
		Files.createDirectories(base);
		String name = prefix + System.currentTimeMillis() + "-" + UUID.randomUUID().toString().substring(0, 8);
		Path directory = Files.createDirectory(base.resolve(name));
		ProcessHandle self = ProcessHandle.current();
		Files.writeString(directory.resolve(OWNER),
				self.pid() + " " + self.info().startInstant().map(Instant::toEpochMilli).orElse(0L) + "\n");
		return directory;
	}

	/**
	 * Close, in a JVM shutdown hook, the servers a test left open.
	 * @param open the open servers, which close removes itself from
	 * @param name the name of the hook's thread
	 */
	static void closeAtExit(Set<? extends AutoCloseable> open, String name) {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(open).forEach(PrivateServers::closeQuietly),
				name));
	}

	static void closeQuietly(AutoCloseable server) {
		try {
			server.close();
		}
		catch (Exception ex) {
			// the next run's start() sweeps what is left
			System.out.println(PREFIX + "could not close " + server + ": " + ex);
		}
	}

	/**
	 * Kill a process, if it runs, and wait until it has gone.
	 * @param process the process
	 * @param timeout how long to wait
	 * @throws IllegalStateException if it outlives the timeout
	 */
	static void kill(Optional<ProcessHandle> process, Duration timeout) {
		process.filter(ProcessHandle::isAlive).ifPresent((alive) -> {
			alive.destroyForcibly();
			try {
				alive.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for process " + alive.pid() + " to exit",
						ex);
			}
			catch (ExecutionException | TimeoutException ex) {
				throw new IllegalStateException("Process " + alive.pid() + " did not exit within "
						+ timeout.toSeconds() + " s of SIGKILL", ex);
			}
		});
	}

	/**
	 * Remove, once per JVM and base directory, the server directories of JVMs that died without their
	 * shutdown hook, stopping their servers first. Those of live JVMs, such as a parallel build's, stay.
	 * @param base the directory that holds the servers' directories
	 * @param what the kind of server, for the messages
	 * @param stop stops the server of a directory, if it runs
	 */
	static void sweepStale(Path base, String what, Consumer<Path> stop) {
		if (!swept.add(base)) {
			return;
		}
		try (Stream<Path> children = Files.list(base)) {
			for (Path child : children.filter(Files::isDirectory).toList()) {
				try {
					if (!ownerAlive(child)) {
						System.out.println(PREFIX + "removing the private " + what + " left by a dead JVM in " + child);
						stop.accept(child);
						deleteTree(child);
					}
				}
				catch (IOException | RuntimeException ex) {
					System.out.println(PREFIX + "could not remove " + child + ": " + ex);
				}
			}
		}
		catch (IOException ex) {
			System.out.println(PREFIX + "could not look for stale private " + what + " servers in " + base + ": " + ex);
		}
	}

	private static boolean ownerAlive(Path directory) throws IOException {
		Path owner = directory.resolve(OWNER);
		if (!Files.exists(owner)) {
			// being made right now, or older than any marked one: only old ones go
			FileTime modified = Files.getLastModifiedTime(directory);
			return modified.toInstant().isAfter(Instant.now().minus(STALE_AGE));
		}
		String[] mark = Files.readString(owner).trim().split(" ");
		try {
			long pid = Long.parseLong(mark[0]);
			long startMillis = (mark.length > 1) ? Long.parseLong(mark[1]) : 0L;
			Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
			if (process.isEmpty()) {
				return false;
			}
			// a live process of that pid that started at another time is not the JVM that wrote the mark
			Optional<Instant> start = process.get().info().startInstant();
			return startMillis == 0L || start.isEmpty() || start.get().toEpochMilli() == startMillis;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	static void deleteTree(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to delete " + directory, ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to find a free port", ex);
		}
	}

	static String tail(Path file, int lines) {
		try {
			if (!Files.exists(file)) {
				return "(no " + file + ")";
			}
			List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(could not read " + file + ": " + ex + ")";
		}
	}

	static long millisSince(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a private server", ex);
		}
	}

}
