package dev.datamigrate.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import dev.datamigrate.testsupport.JavaProcess;

/**
 * A test application ({@link ChildApp}) running in a JVM of its own, as a real instance of a service
 * would: started with the test's own class path, its stdout and stderr written to files under
 * {@code target/child-jvms/} (named in the test's output, so a failure can be diagnosed), waited for
 * with bounded timeouts, killed with SIGKILL. Close it (a test's {@code @AfterEach}) to make sure it
 * is gone.
 */
final class ChildJvm implements AutoCloseable {

	private static final Path DIRECTORY = Path.of(System.getProperty("basedir", "."), "target", "child-jvms");

	private static final AtomicInteger sequence = new AtomicInteger();

	private static final Duration POLL = Duration.ofMillis(50);

	/** Children still running, killed if the test JVM itself ends first (a build aborted mid-test). */
	private static final Set<Process> running = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> running.forEach(Process::destroyForcibly),
				"kill-child-jvms"));
	}

	private final String name;

	private final Process process;

	private final Path stdout;

	private final Path stderr;

	private ChildJvm(String name, Process process, Path stdout, Path stderr) {
		this.name = name;
		this.process = process;
		this.stdout = stdout;
		this.stderr = stderr;
	}

	/**
	 * Start {@link ChildApp} with a configuration in a new JVM.
	 * @param label names the output files, e.g. {@code POSTGRESQL-takeover-A}
	 * @param configuration the {@code @Configuration} class that declares the migrations
	 * @param arguments Spring Boot arguments ({@code --name=value})
	 * @return the running JVM
	 * @throws IOException if it could not be started
	 */
	static ChildJvm start(String label, Class<?> configuration, List<String> arguments) throws IOException {
		Files.createDirectories(DIRECTORY);
		String name = String.format("%03d-%s", sequence.incrementAndGet(), label);
		Path stdout = DIRECTORY.resolve(name + ".out");
		Path stderr = DIRECTORY.resolve(name + ".err");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-XX:+UseSerialGC");
		command.add("-Xss512k");
		command.add("-cp");
		command.add(JavaProcess.classPath());
		command.add(ChildApp.class.getName());
		command.add(configuration.getName());
		command.addAll(arguments);
		Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
			.redirectError(stderr.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
			.start();
		running.add(process);
		process.onExit().thenRun(() -> running.remove(process));
		ChildJvm child = new ChildJvm(name, process, stdout, stderr);
		System.out.println("[child-jvm] started " + child);
		return child;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * What the child printed to stdout so far.
	 * @return the text
	 */
	String stdout() {
		return read(this.stdout);
	}

	/**
	 * What the child printed to stderr so far.
	 * @return the text
	 */
	String stderr() {
		return read(this.stderr);
	}

	/**
	 * Wait for a line of stdout that matches.
	 * @param what describes the line, for the failure message
	 * @param matches the condition on a line
	 * @param timeout how long to wait at most
	 * @return the first matching line
	 */
	String awaitLine(String what, Predicate<String> matches, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Optional<String> line = stdout().lines().filter(matches).findFirst();
			if (line.isPresent()) {
				return line.get();
			}
			if (System.nanoTime() - deadline >= 0) {
				throw new AssertionError("No line with " + what + " from " + this + " within " + timeout + "; "
						+ (isAlive() ? "it still runs" : "it exited with " + this.process.exitValue()) + "\n" + tail());
			}
			if (!isAlive() && stdout().lines().noneMatch(matches)) {
				throw new AssertionError("No line with " + what + " from " + this + ": it exited with "
						+ this.process.exitValue() + "\n" + tail());
			}
			sleep(POLL);
		}
	}

	/**
	 * Wait for a line of stdout that contains a text.
	 * @param text the text
	 * @param timeout how long to wait at most
	 * @return the first line that contains it
	 */
	String awaitLine(String text, Duration timeout) {
		return awaitLine("'" + text + "'", (line) -> line.contains(text), timeout);
	}

	/**
	 * Wait for the child to exit by itself.
	 * @param timeout how long to wait at most
	 * @return its exit code
	 * @throws InterruptedException if interrupted
	 */
	int awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError(this + " did not exit within " + timeout + "\n" + tail());
		}
		int code = this.process.exitValue();
		System.out.println("[child-jvm] " + this.name + " exited with " + code);
		return code;
	}

	/**
	 * Kill the child with SIGKILL ({@link Process#destroyForcibly()} on Linux) and wait until it is
	 * gone: no shutdown hook, no finally block, no clean close of its connections runs.
	 * @throws InterruptedException if interrupted
	 */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			throw new AssertionError(this + " survived SIGKILL for 30 s");
		}
	}

	/**
	 * Ask the child to stop with SIGTERM ({@link Process#destroy()} on Linux), as Kubernetes does
	 * before it kills a pod: shutdown hooks run.
	 */
	void terminate() {
		this.process.destroy();
	}

	/**
	 * Wait until a condition holds.
	 * @param what describes the condition, for the failure message
	 * @param timeout how long to wait at most
	 * @param condition the condition
	 * @param children whose output to show on failure
	 */
	static void await(String what, Duration timeout, BooleanSupplier condition, ChildJvm... children) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline >= 0) {
				StringBuilder message = new StringBuilder("Timed out after " + timeout + " waiting for " + what);
				for (ChildJvm child : children) {
					message.append("\n").append(child).append(child.isAlive() ? " (running)" : " (exited)").append('\n')
						.append(child.tail());
				}
				throw new AssertionError(message);
			}
			sleep(POLL);
		}
	}

	/**
	 * The end of the child's output, for failure messages.
	 * @return the last lines of stdout and stderr
	 */
	String tail() {
		return "--- last lines of " + this.stdout + " ---\n" + last(stdout(), 40) + "--- last lines of " + this.stderr
				+ " ---\n" + last(stderr(), 20);
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

	@Override
	public String toString() {
		return "child JVM " + this.name + " (pid " + this.process.pid() + ", output in " + this.stdout + ")";
	}

	private static String last(String text, int count) {
		List<String> lines = text.lines().toList();
		StringBuilder tail = new StringBuilder();
		for (String line : lines.subList(Math.max(0, lines.size() - count), lines.size())) {
			tail.append(line).append('\n');
		}
		return tail.toString();
	}

	private static String read(Path file) {
		try {
			// a write in progress may end in half a character: decode leniently
			return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting", ex);
		}
	}

}
