package dev.vmcp.sessions.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ConformanceResultsReaderTests {

	private static final String TIMESTAMP = "-2026-01-02T03-04-05-678Z";

	@TempDir
	Path results;

	@Test
	void aRunWhoseScenariosAllPassIsReportedAsPassed() throws IOException {
		writeChecks("ping", check("ping", "SUCCESS", null));
		writeChecks("tools-call-simple-text", check("tools-call-simple-text", "SUCCESS", null));

		ConformanceReport report = read(output(2, "ping", "tools-call-simple-text"), 0);

		assertThat(report.allPassed()).isTrue();
		assertThat(report.passedScenarioNames()).containsExactly("ping", "tools-call-simple-text");
	}

	@Test
	void aRunOfOneScenarioIsReportedByItsChecks() throws IOException {
		writeChecks("tools-call-sampling", check("tools-call-sampling", "SUCCESS", null));
		writeChecks("tools-call-elicitation", check("tools-call-elicitation", "FAILURE", "not asked"));

		ConformanceReport passed = read(single("tools-call-sampling"), 0);
		ConformanceReport failed = read(single("tools-call-elicitation"), 1);

		assertThat(passed.allPassed()).isTrue();
		assertThat(passed.passedScenarioNames()).containsExactly("tools-call-sampling");
		assertThat(failed.allPassed()).isFalse();
		assertThat(failed.failedScenarios()).extracting(ScenarioResult::name).containsExactly("tools-call-elicitation");
	}

	private static String single(String scenario) {
		return "Running client scenario '" + scenario + "' against server: http://127.0.0.1:1/mcp\n";
	}

	@Test
	void aFailedCheckFailsItsScenarioAndIsNamedWithItsMessage() throws IOException {
		writeChecks("ping", check("ping", "SUCCESS", null));
		writeChecks("tools-call-sampling", check("tools-call-sampling", "WARNING", null),
				check("tools-call-sampling", "FAILURE", "Server did not request sampling from client"));

		ConformanceReport report = read(output(2, "ping", "tools-call-sampling"), 1);

		assertThat(report.allPassed()).isFalse();
		assertThat(report.passedScenarioNames()).containsExactly("ping");
		assertThat(report.failedScenarios()).extracting(ScenarioResult::name).containsExactly("tools-call-sampling");
		assertThat(report.describeFailures()).contains("tools-call-sampling:")
			.contains("Check-tools-call-sampling [FAILURE]: Server did not request sampling from client")
			.doesNotContain("[WARNING]");
	}

	@Test
	void aScenarioThatRanWithoutWritingChecksFails() throws IOException {
		writeChecks("ping", check("ping", "SUCCESS", null));

		ConformanceReport report = read(output(2, "ping", "tools-list"), 1);

		assertThat(report.failedScenarios()).extracting(ScenarioResult::name).containsExactly("tools-list");
		assertThat(report.describeFailures()).contains("tools-list:").contains("no checks written");
	}

	@Test
	void aRunStoppedBeforeEveryAnnouncedScenarioRanIsIncomplete() throws IOException {
		writeChecks("ping", check("ping", "SUCCESS", null));

		ConformanceReport report = ConformanceResultsReader.read(this.results, output(3, "ping"), OptionalInt.empty());

		assertThat(report.complete()).isFalse();
		assertThat(report.allPassed()).isFalse();
		assertThat(report.describeFailures()).contains("1 of 3 announced scenarios ran")
			.contains("stopped at the deadline");
	}

	@Test
	void aRunWithoutAnyScenarioDoesNotPass() {
		ConformanceReport report = read("Server test error: something broke\n", 1);

		assertThat(report.allPassed()).isFalse();
		assertThat(report.describeFailures()).contains("Server test error: something broke");
	}

	@Test
	void anUnknownStatusCountsAsAFailure() throws IOException {
		writeChecks("ping", check("ping", "SURPRISE", null));

		ConformanceReport report = read(output(1, "ping"), 0);

		assertThat(report.failedScenarios()).extracting(ScenarioResult::name).containsExactly("ping");
	}

	@Test
	void colorsAreRemovedFromTheOutput() {
		ConformanceReport report = read("\u001B[32mSUCCESS\u001B[0m\n", 0);

		assertThat(report.output()).isEqualTo("SUCCESS\n");
	}

	@Test
	void aRequirementsRunPassesOnItsScoredScenariosAlone() throws IOException {
		writeChecks("tools-list", check("tools-list", "SUCCESS", null));
		writeChecks("tasks-lifecycle", check("tasks-lifecycle", "FAILURE", "No task created"));
		writeChecks("http-header-validation", check("http-header-validation", "SUCCESS", null));
		String output = requirementsOutput(3, "tools-list", "tasks-lifecycle", "http-header-validation")
				+ notScored("  ✗ tasks-lifecycle (extension)", "  ✓ http-header-validation (pending)");

		ConformanceReport report = read(output, 0);

		assertThat(report.complete()).isTrue();
		assertThat(report.allPassed()).as(report::describeFailures).isTrue();
		assertThat(report.scoredScenarios()).extracting(ScenarioResult::name).containsExactly("tools-list");
		assertThat(report.notScoredScenarios()).extracting(ScenarioResult::name, ScenarioResult::notScoredReason)
			.containsExactly(tuple("tasks-lifecycle", "extension"), tuple("http-header-validation", "pending"));
		assertThat(report.failedScenarios()).isEmpty();
		assertThat(report.passedScenarioNames()).containsExactly("tools-list", "http-header-validation");
		assertThat(report).hasToString(
				"1 of 1 scored scenarios passed (and 1 of 2 not scored), 3 of 3 announced scenarios ran, the suite exited with 0");
	}

	@Test
	void aFailedRequiredScenarioFailsARequirementsRunAndNotScoredFailuresAreOnlyNamed() throws IOException {
		writeChecks("tools-list", check("tools-list", "FAILURE", "No tools"));
		writeChecks("tasks-lifecycle", check("tasks-lifecycle", "FAILURE", "No task created"));
		String output = requirementsOutput(2, "tools-list", "tasks-lifecycle")
				+ notScored("  ✗ tasks-lifecycle (extension)");

		ConformanceReport report = read(output, 1);

		assertThat(report.allPassed()).isFalse();
		assertThat(report.failedScenarios()).extracting(ScenarioResult::name).containsExactly("tools-list");
		assertThat(report.describeFailures()).contains("Check-tools-list [FAILURE]: No tools")
			.contains("not scored, and failed: tasks-lifecycle")
			.doesNotContain("No task created");
	}

	@Test
	void theNotScoredListEndsAtTheFirstLineThatNamesNoScenario() throws IOException {
		writeChecks("tools-list", check("tools-list", "SUCCESS", null));
		writeChecks("tasks-lifecycle", check("tasks-lifecycle", "SUCCESS", null));
		String output = requirementsOutput(2, "tools-list", "tasks-lifecycle") + notScored()
				+ "\n  ✓ tasks-lifecycle (extension)\n";

		ConformanceReport report = read(output, 0);

		assertThat(report.notScoredScenarios()).isEmpty();
		assertThat(report.scoredScenarios()).hasSize(2);
	}

	private ConformanceReport read(String output, int exitCode) {
		return ConformanceResultsReader.read(this.results, output, OptionalInt.of(exitCode));
	}

	private void writeChecks(String scenario, String... checks) throws IOException {
		Path directory = Files.createDirectory(this.results.resolve("server-" + scenario + TIMESTAMP));
		Files.writeString(directory.resolve("checks.json"), "[" + String.join(",", checks) + "]");
	}

	private static String check(String id, String status, String errorMessage) {
		String error = (errorMessage != null) ? ", \"errorMessage\": \"" + errorMessage + "\"" : "";
		return "{\"id\": \"" + id + "\", \"name\": \"Check-" + id + "\", \"description\": \"Checks " + id
				+ "\", \"status\": \"" + status + "\", \"timestamp\": \"2026-01-02T03:04:05.678Z\"" + error + "}";
	}

	private static String output(int announced, String... scenarios) {
		StringBuilder output = new StringBuilder(
				"Running active suite (" + announced + " scenarios) against http://127.0.0.1:1/mcp\n\n");
		for (String scenario : scenarios) {
			output.append("\n=== Running scenario: ").append(scenario).append(" ===\n");
		}
		return output.toString();
	}

	/** What suite 0.2.0 prints with {@code --requirements}, up to its summary. */
	private static String requirementsOutput(int announced, String... scenarios) {
		StringBuilder output = new StringBuilder(
				"Running requirements 2026-07-28 (" + announced + " scenarios) against http://127.0.0.1:1/mcp\n\n");
		for (String scenario : scenarios) {
			output.append("\n=== Running scenario: ")
				.append(scenario)
				.append(" ===\n")
				.append("Running client scenario '")
				.append(scenario)
				.append("' against server: http://127.0.0.1:1/mcp\n")
				.append("Results saved to results/server-")
				.append(scenario)
				.append(TIMESTAMP)
				.append('\n');
		}
		output.append("\n\n=== SUMMARY ===\n");
		for (String scenario : scenarios) {
			output.append("✓ ").append(scenario).append(": 1 passed, 0 failed\n");
		}
		return output.append("\nTotal: 1 passed, 0 failed\n").toString();
	}

	private static String notScored(String... lines) {
		return "\nNot scored for 2026-07-28: " + lines.length
				+ " scenario(s) run, 1 failing. These do not affect conformance.\n" + String.join("\n", lines)
				+ (lines.length > 0 ? "\n" : "");
	}

}
