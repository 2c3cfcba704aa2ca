package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} process on a free loopback port, for tests. It can be
 * stopped and started again on the same port, paused (SIGSTOP) and resumed.
 */
public final class RedisServerProcess implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private static final int START_ATTEMPTS = 3;

	private final int port;

	private final Path directory;

	private final List<String> extraArguments;

	private Process process;

	private RedisServerProcess(int port, List<String> extraArguments) throws IOException {
		this.port = port;
		this.extraArguments = List.copyOf(extraArguments);
		this.directory = Files.createTempDirectory("redis-" + port + "-");
	}

	/**
	 * Starts a server on a free port. A port found free can be taken by another process
	 * before the server binds it; the server then exits at once, and another port is
	 * tried.
	 */
	public static RedisServerProcess start(String... extraArguments) {
		IllegalStateException lastFailure = null;
		for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
			try {
				RedisServerProcess redis = new RedisServerProcess(freePort(), List.of(extraArguments));
				redis.startProcess();
				return redis;
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not start redis-server", ex);
			}
			catch (IllegalStateException ex) {
				lastFailure = ex;
			}
		}
		throw lastFailure;
	}

	public int port() {
		return this.port;
	}

	/** Stops the server (SIGKILL: like a crash); {@link #restart()} brings it back. */
	public void kill() {
		this.process.destroyForcibly();
		waitFor(this.process);
	}

	/** Starts the server again on the same port, empty. */
	public void restart() {
		try {
			startProcess();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not restart redis-server", ex);
		}
	}

	/** Freezes the server: connections stay open but nothing is answered. */
	public void pause() {
		signal("STOP");
	}

	public void resume() {
		signal("CONT");
	}

	@Override
	public void close() {
		if (this.process != null && this.process.isAlive()) {
			resume();
			this.process.destroyForcibly();
			waitFor(this.process);
		}
	}

	private void startProcess() throws IOException {
		List<String> command = new ArrayList<>(List.of(redisServerBinary(), "--port", Integer.toString(this.port),
				"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.directory.toString()));
		command.addAll(this.extraArguments);
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("redis.log").toFile())
			.start();
		// Even if the test JVM ends without closing it, no server outlives it.
		Process started = this.process;
		Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
		awaitListening();
	}

	private void awaitListening() {
		Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
		while (Instant.now().isBefore(deadline) && this.process.isAlive()) {
			try (Socket socket = new Socket("127.0.0.1", this.port)) {
				return;
			}
			catch (IOException ex) {
				sleepBriefly();
			}
		}
		this.process.destroyForcibly();
		throw new IllegalStateException("redis-server did not listen on port " + this.port + ": " + logTail());
	}

	private String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.directory.resolve("redis.log"));
			return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
		}
		catch (IOException ex) {
			return "(no log)";
		}
	}

	private void signal(String signal) {
		try {
			new ProcessBuilder("kill", "-" + signal, Long.toString(this.process.pid())).start().waitFor();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String redisServerBinary() {
		String configured = System.getenv("REDIS_SERVER");
		return (configured != null) ? configured : "redis-server";
	}

	/** A port that was free a moment ago. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void waitFor(Process process) {
		try {
			process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleepBriefly() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
