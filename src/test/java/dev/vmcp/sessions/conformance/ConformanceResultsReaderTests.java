package dev.vmcp.sessions.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

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

}
