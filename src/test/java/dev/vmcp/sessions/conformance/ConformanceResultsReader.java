package dev.vmcp.sessions.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what the suite's {@code server} command leaves behind. It prints
 * {@code Running <suite> suite (<n> scenarios)} (0.1.x) or
 * {@code Running requirements <revision> (<n> scenarios)} (0.2.x with
 * {@code --requirements}), then {@code === Running scenario: <name> ===} before each
 * scenario, and with {@code --output-dir} writes each scenario's checks to
 * {@code server-<name>-<timestamp>/checks.json}. The printed names say which scenarios
 * ran, so one that ran without writing its checks is not overlooked.
 * <p>
 * A requirements run also runs scenarios its revision does not score, and after its
 * summary lists them under {@code Not scored for <revision>: <n> scenario(s) run, <m>
 * failing. ...}, one per line as {@code  ✓ <name> (<reason>)} or
 * {@code  ✗ <name> (<reason>)}; its exit code counts only the scored ones. A run of one
 * scenario ({@code --scenario}) prints neither heading nor name: its scenario is the one
 * whose checks it wrote.
 */
final class ConformanceResultsReader {

	private static final Pattern ANNOUNCEMENT = Pattern
		.compile("^Running (?:\\S+ suite|requirements \\S+) \\((\\d+) scenarios\\)", Pattern.MULTILINE);

	private static final Pattern NOT_SCORED_HEADING = Pattern.compile("^Not scored for \\S+: .*$", Pattern.MULTILINE);

	private static final Pattern NOT_SCORED_SCENARIO = Pattern.compile("^ +\\S+ (\\S+) \\((.+)\\)$");

	private static final Pattern SCENARIO_START = Pattern.compile("^=== Running scenario: (\\S+) ===$",
			Pattern.MULTILINE);

	/** A run of one scenario ({@code --scenario}) names it so, and announces no count. */
	private static final Pattern SINGLE_SCENARIO = Pattern.compile("^Running client scenario '(\\S+)' against server",
			Pattern.MULTILINE);

	/** {@code server-<name>-<ISO instant with ':' and '.' as '-'>}. */
	private static final Pattern RESULT_DIRECTORY = Pattern
		.compile("^server-(.+)-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z$");

	private static final String CHECKS_FILE = "checks.json";

	private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;]*m");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ConformanceResultsReader() {
	}

	/**
	 * Build the report of one run.
	 * @param resultsDirectory the directory given to the suite as {@code --output-dir}
	 * @param rawOutput what the suite printed
	 * @param exitCode its exit code, empty if it was stopped
	 * @return the report
	 * @throws UncheckedIOException if a results file cannot be read
	 */
	static ConformanceReport read(Path resultsDirectory, String rawOutput, OptionalInt exitCode) {
		String output = ANSI_ESCAPE.matcher(rawOutput).replaceAll("");
		Map<String, List<ConformanceCheck>> checksByScenario = readChecks(resultsDirectory);
		Map<String, String> notScoredReasons = notScoredReasons(output);
		List<ScenarioResult> scenarios = new ArrayList<>();
		Matcher started = SCENARIO_START.matcher(output);
		while (started.find()) {
			String name = started.group(1);
			scenarios.add(new ScenarioResult(name, checksByScenario.getOrDefault(name, List.of()),
					notScoredReasons.get(name)));
		}
		Matcher announcement = ANNOUNCEMENT.matcher(output);
		int announced = announcement.find() ? Integer.parseInt(announcement.group(1)) : 0;
		Matcher single = SINGLE_SCENARIO.matcher(output);
		if (scenarios.isEmpty() && single.find()) {
			String name = single.group(1);
			scenarios.add(new ScenarioResult(name, checksByScenario.getOrDefault(name, List.of()), null));
			announced = 1;
		}
		if (scenarios.isEmpty()) {
			// A run of one scenario that does not even name it: it is the one whose
			// checks were written.
			checksByScenario.forEach((name, checks) -> scenarios.add(new ScenarioResult(name, checks)));
		}
		return new ConformanceReport(scenarios, announced, exitCode, output);
	}

	/**
	 * The scenarios listed under the not-scored heading, with their reasons; the list
	 * ends at the first line that does not name one.
	 */
	private static Map<String, String> notScoredReasons(String output) {
		Map<String, String> reasons = new HashMap<>();
		Matcher heading = NOT_SCORED_HEADING.matcher(output);
		if (heading.find()) {
			// The heading's own line ending starts the rest, hence one empty line to skip
			for (String line : output.substring(heading.end()).lines().skip(1).toList()) {
				Matcher scenario = NOT_SCORED_SCENARIO.matcher(line);
				if (!scenario.matches()) {
					break;
				}
				reasons.put(scenario.group(1), scenario.group(2));
			}
		}
		return reasons;
	}

	private static Map<String, List<ConformanceCheck>> readChecks(Path resultsDirectory) {
		Map<String, List<ConformanceCheck>> checks = new HashMap<>();
		try (Stream<Path> entries = Files.list(resultsDirectory)) {
			for (Path entry : entries.toList()) {
				Matcher directory = RESULT_DIRECTORY.matcher(entry.getFileName().toString());
				Path checksFile = entry.resolve(CHECKS_FILE);
				if (directory.matches() && Files.isRegularFile(checksFile)) {
					checks.put(directory.group(1), parseChecks(checksFile));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return checks;
	}

	private static List<ConformanceCheck> parseChecks(Path checksFile) {
		JsonNode array = JSON.readTree(checksFile.toFile());
		List<ConformanceCheck> checks = new ArrayList<>();
		for (JsonNode check : array) {
			JsonNode errorMessage = check.path("errorMessage");
			checks.add(new ConformanceCheck(check.path("id").asString(), check.path("name").asString(),
					ConformanceCheck.Status.parse(check.path("status").asString()),
					check.path("description").asString(),
					errorMessage.isMissingNode() ? null : errorMessage.asString()));
		}
		return checks;
	}

}
