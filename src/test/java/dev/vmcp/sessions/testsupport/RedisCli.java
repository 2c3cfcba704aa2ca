package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code redis-cli} against a loopback port, the way an operator would, so that
 * tests administer Redis (cluster creation, Sentinel commands, replication offsets)
 * without a second client library. The binary must be on the {@code PATH} or named by the
 * {@code REDIS_CLI} environment variable.
 */
public final class RedisCli {

	private static final long TIMEOUT_SECONDS = 20;

	private RedisCli() {
	}

	/**
	 * Sends one command to the server at {@code port}; the reply as redis-cli prints it.
	 */
	public static String command(int port, String... command) {
		List<String> arguments = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(port)));
		arguments.addAll(List.of(command));
		return run(arguments);
	}

	/** One {@code INFO} section as a map, e.g. {@code role} to {@code master}. */
	public static Map<String, String> info(int port, String section) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String line : command(port, "INFO", section).split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && !line.startsWith("#")) {
				fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
			}
		}
		return fields;
	}

	/**
	 * Runs redis-cli with the given arguments; fails when it does not exit with 0 (error
	 * replies exit with 0 too: callers check what they expect).
	 */
	public static String run(List<String> arguments) {
		List<String> command = new ArrayList<>();
		command.add(binary());
		command.addAll(arguments);
		try {
			// Output to a file, not a pipe: a redis-cli stuck on a frozen server must not
			// block the reader past the timeout.
			Path output = Files.createTempFile("redis-cli-", ".out");
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.start();
				if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException("redis-cli did not finish: " + arguments);
				}
				String text = Files.readString(output, StandardCharsets.UTF_8).trim();
				if (process.exitValue() != 0) {
					throw new IllegalStateException(
							"redis-cli " + arguments + " exited with " + process.exitValue() + ": " + text);
				}
				return text;
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run redis-cli " + arguments, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String binary() {
		String configured = System.getenv("REDIS_CLI");
		return (configured != null) ? configured : "redis-cli";
	}

}
