package dev.vmcp.sessions.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * No Docker engine runs the tests, so the image is checked through what it relies on: the
 * layer extraction its build stage runs works on the built jar, yields the layers it
 * copies in the order it copies them, the assembled layers start the application, and its
 * training run writes the AOT cache that its entrypoint starts with.
 */
class DockerfileLayersIntegrationTests {

	private static final Path DOCKERFILE = Path.of("Dockerfile");

	private static final Pattern LAYER_COPY = Pattern.compile("COPY --from=build \\S*/extracted/([\\w-]+)/ \\./");

	@Test
	void theLayersTheDockerfileCopiesAreExtractedInTheUsualOrder(@TempDir Path extracted) throws Exception {
		extract(extracted);
		List<String> copied = copiedLayers();
		assertThat(copied).containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies",
				"application");
		for (String layer : copied) {
			assertThat(extracted.resolve(layer)).isDirectory();
		}
		assertThat(extracted.resolve("application/application.jar")).isRegularFile();
		assertThat(extracted.resolve("dependencies/lib")).isDirectoryContaining("glob:**/spring-core-*.jar");
	}

	@Test
	void theAssembledLayersStartTheApplication(@TempDir Path extracted, @TempDir Path app) throws Exception {
		assembleLayers(extracted, app);
		String log = run(app, "-Dspring.context.exit=onRefresh", "-Dserver.port=0", "-jar", "application.jar");
		assertThat(log).contains("Starting VmcpSessionsApplication").doesNotContain("APPLICATION FAILED TO START");
	}

	/**
	 * The image's training run writes its AOT cache on a Redis store (redis-server is
	 * installed here, as in the image's training stage), whatever heap the build host
	 * would give it, and a start with that cache works.
	 */
	@Test
	void theTrainingRunWritesTheCacheTheEntrypointStartsWith(@TempDir Path extracted, @TempDir Path app)
			throws Exception {
		assumeTrue(Runtime.version().feature() >= 25, "the AOT cache needs the image's JDK 25");
		assertThat(Files.readString(DOCKERFILE)).containsPattern("(?m)^COPY docker/train.sh \\./$")
			.containsPattern("(?m)^RUN bash train.sh")
			.containsPattern("install -y --no-install-recommends redis-server")
			.containsPattern("(?m)^COPY --from=training /app/application.aot \\./$");
		assembleLayers(extracted, app);
		Files.copy(Path.of("docker/train.sh"), app.resolve("train.sh"));
		ProcessBuilder training = new ProcessBuilder("bash", "train.sh", "100").directory(app.toFile())
			.redirectErrorStream(true)
			.redirectOutput(app.resolve("training.log").toFile());
		training.environment().put("JAVA", java());
		// What the image's percentages give on a build host with 54 GB: without a heap of
		// its own, the training would write a cache that no pod with a smaller heap can
		// map.
		training.environment().put("JAVA_TOOL_OPTIONS", "-Xmx40g");
		Process trained = training.start();
		assertThat(trained.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(trained.exitValue()).as(Files.readString(app.resolve("training.log"))).isZero();

		List<String> entrypoint = jvmOptions(Files.readAllLines(DOCKERFILE)
			.stream()
			.filter((line) -> line.startsWith("ENTRYPOINT"))
			.findFirst()
			.orElseThrow()
			.replaceAll("[\\[\\]\",]", " "));
		String cache = entrypoint.stream()
			.filter((option) -> option.startsWith("-XX:AOTCache="))
			.findFirst()
			.orElseThrow(() -> new AssertionError("The entrypoint does not use the AOT cache"))
			.substring("-XX:AOTCache=".length());
		assertThat(app.resolve(cache)).isNotEmptyFile();
		assertThat(run(app, concat(entrypoint, "-XX:+PrintSharedArchiveAndExit", "-jar", "application.jar")))
			.as("the Redis client's classes are in the cache")
			.contains("io.lettuce.core.RedisClient app_loader");
		String log = run(app, concat(entrypoint, "-Xlog:aot=error", "-Dspring.context.exit=onRefresh",
				"-Dserver.port=0", "-jar", "application.jar"));
		assertThat(log).contains("Starting VmcpSessionsApplication").doesNotContainIgnoringCase("[aot]");
	}

	@Test
	void theImageRunsAsANonRootUserWithAnExecFormEntrypoint() throws IOException {
		String dockerfile = Files.readString(DOCKERFILE);
		assertThat(dockerfile).containsPattern("(?m)^USER 10001");
		assertThat(dockerfile).containsPattern("(?m)^ENTRYPOINT \\[\"java\"");
		assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:2[1-9]-jre");
		assertThat(Files.readString(Path.of(".dockerignore"))).contains("target/");
	}

	private static void assembleLayers(Path extracted, Path app) throws Exception {
		extract(extracted);
		for (String layer : copiedLayers()) {
			copyTree(extracted.resolve(layer), app);
		}
	}

	/**
	 * The JVM options of a {@code java ... -jar} command line: between "java" and "-jar".
	 */
	private static List<String> jvmOptions(String commandLine) {
		List<String> words = List.of(commandLine.strip().split("\\s+"));
		return words.subList(words.indexOf("java") + 1, words.indexOf("-jar"));
	}

	private static String[] concat(List<String> options, String... more) {
		List<String> all = new ArrayList<>(options);
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	/**
	 * Runs the JVM in {@code directory} until it exits (within a minute, successfully).
	 */
	private static String run(Path directory, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(java()));
		command.addAll(List.of(arguments));
		Path log = directory.resolve("run.log");
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(Files.readString(log)).isZero();
		return Files.readString(log);
	}

	private static void extract(Path destination) throws Exception {
		String command = extractionCommand();
		assertThat(command).contains("extract --layers");
		List<String> arguments = new ArrayList<>(List.of(java(), "-Djarmode=tools", "-jar", builtJar().toString()));
		String options = command.substring(command.indexOf("extract"));
		for (String option : options.split("\\s+")) {
			arguments.add(option.equals("target/extracted") ? destination.toString() : option);
		}
		arguments.add("--force");
		Process process = new ProcessBuilder(arguments).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as(output).isZero();
	}

	/** The extraction command of the Dockerfile's build stage, from "extract" on. */
	private static String extractionCommand() throws IOException {
		return Files.readAllLines(DOCKERFILE)
			.stream()
			.filter((line) -> line.contains("-Djarmode=tools"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("The Dockerfile does not extract layers"))
			.strip();
	}

	private static List<String> copiedLayers() throws IOException {
		List<String> layers = new ArrayList<>();
		Matcher matcher = LAYER_COPY.matcher(Files.readString(DOCKERFILE));
		while (matcher.find()) {
			layers.add(matcher.group(1));
		}
		return layers;
	}

	private static Path builtJar() throws IOException {
		try (var jars = Files.list(Path.of("target"))) {
			return jars.filter((path) -> path.getFileName().toString().matches("vmcp-sessions-.*\\.jar"))
				.filter((path) -> !path.getFileName().toString().endsWith("-plain.jar"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("No built jar in target/; run the package phase first"));
		}
	}

	private static void copyTree(Path source, Path target) throws IOException {
		try (var files = Files.walk(source)) {
			for (Path file : files.toList()) {
				Path destination = target.resolve(source.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(destination);
				}
				else {
					Files.copy(file, destination);
				}
			}
		}
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
