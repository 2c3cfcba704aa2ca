package dev.vmcp.sessions.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real headless Chromium showing one page, for tests of what a browser allows. The
 * binary is {@code chromium} on the {@code PATH} (Debian's name) or the one named by the
 * {@code CHROMIUM} environment variable.
 */
public final class HeadlessChromium implements AutoCloseable {

	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(5);

	private final Process process;

	private final Path profile;

	private final Path log;

	private HeadlessChromium(Process process, Path profile, Path log) {
		this.process = process;
		this.profile = profile;
		this.log = log;
	}

	/** Starts Chromium on {@code page}; it runs the page's scripts until closed. */
	public static HeadlessChromium open(URI page) {
		String binary = binary();
		try {
			Path profile = Files.createTempDirectory("chromium-profile-");
			Path log = Files.createTempFile("chromium-", ".log");
			Process process = new ProcessBuilder(binary, "--headless", "--disable-gpu",
					// No sandbox: it needs user namespaces that containers and root lack,
					// and the pages are the test's own
					"--no-sandbox", "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--no-first-run",
					"--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", page.toString())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new HeadlessChromium(process, profile, log);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + binary, ex);
		}
	}

	/** What Chromium wrote so far (its console and errors), to explain a failure. */
	public String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		// Chromium's own processes (renderer, GPU, zygote) first: they would outlive it
		List<ProcessHandle> all = Stream.concat(this.process.descendants(), Stream.of(this.process.toHandle()))
			.toList();
		all.forEach(ProcessHandle::destroy);
		all.forEach(HeadlessChromium::awaitExit);
		deleteRecursively(this.profile);
		deleteRecursively(this.log);
	}

	private static void awaitExit(ProcessHandle process) {
		try {
			process.onExit().get(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			process.destroyForcibly();
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static String binary() {
		String configured = System.getenv("CHROMIUM");
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		String path = System.getenv().getOrDefault("PATH", "");
		return Stream.of(path.split(File.pathSeparator))
			.map((directory) -> Path.of(directory, "chromium"))
			.filter(Files::isExecutable)
			.map(Path::toString)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No chromium binary on the PATH: install Debian's "
					+ "chromium package (.ci/run does) or name the binary in the CHROMIUM environment variable"));
	}

	private static void deleteRecursively(Path path) {
		try (Stream<Path> files = Files.walk(path)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (UncheckedIOException | IOException ex) {
			// a temporary file left behind harms nothing
		}
	}

}
