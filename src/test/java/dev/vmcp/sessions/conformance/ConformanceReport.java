package dev.vmcp.sessions.conformance;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one run of the conformance suite against one server found, scenario by scenario.
 * Whether the server conforms depends on the scored scenarios only; those a requirement
 * set runs without scoring are reported apart ({@link #notScoredScenarios()}).
 *
 * @param scenarios the scenarios that ran, in the order they ran
 * @param announcedScenarios how many scenarios the suite said it would run
 * @param exitCode the suite's exit code; empty when it was stopped at the deadline
 * @param output what the suite printed (stdout and stderr, colors removed)
 */
public record ConformanceReport(List<ScenarioResult> scenarios, int announcedScenarios, OptionalInt exitCode,
		String output) {

	private static final int OUTPUT_TAIL_LINES = 40;

	public ConformanceReport {
		scenarios = List.copyOf(scenarios);
	}

	/**
	 * Whether every announced scenario ran, every scored one passed, and the suite agreed
	 * by exiting with 0.
	 * @return {@code true} if the server conforms
	 */
	public boolean allPassed() {
		List<ScenarioResult> scored = scoredScenarios();
		return complete() && this.exitCode.getAsInt() == 0 && !scored.isEmpty()
				&& scored.stream().allMatch(ScenarioResult::passed);
	}

	/**
	 * The scenarios that count: all of an active-suite run, the required ones of a
	 * requirements run.
	 * @return the scored scenarios, in the order they ran
	 */
	public List<ScenarioResult> scoredScenarios() {
		return this.scenarios.stream().filter(ScenarioResult::scored).toList();
	}

	/**
	 * The scenarios a requirements run ran without scoring (extensions, pending ones),
	 * passed or not.
	 * @return those scenarios, in the order they ran
	 */
	public List<ScenarioResult> notScoredScenarios() {
		return this.scenarios.stream().filter((scenario) -> !scenario.scored()).toList();
	}

	/**
	 * Whether the suite finished and ran every scenario it announced.
	 * @return {@code true} if nothing is missing from this report
	 */
	public boolean complete() {
		return this.exitCode.isPresent() && this.scenarios.size() == this.announcedScenarios;
	}

	/**
	 * The names of the scenarios that passed, scored or not, e.g. to require the same of
	 * a gateway in front of the server that passed them.
	 * @return the names, in the order the scenarios ran
	 */
	public Set<String> passedScenarioNames() {
		return this.scenarios.stream()
			.filter(ScenarioResult::passed)
			.map(ScenarioResult::name)
			.collect(Collectors.toCollection(LinkedHashSet::new));
	}

	/**
	 * The scored scenarios that failed, or ran without writing their checks.
	 * @return the failed scenarios
	 */
	public List<ScenarioResult> failedScenarios() {
		return scoredScenarios().stream().filter((scenario) -> !scenario.passed()).toList();
	}

	/**
	 * A description for a failed assertion: each failed scenario with its failed checks,
	 * and, when the run itself went wrong, the end of the suite's output.
	 * @return the description, several lines
	 */
	public String describeFailures() {
		StringBuilder description = new StringBuilder();
		for (ScenarioResult scenario : failedScenarios()) {
			description.append(scenario.name()).append(":\n");
			List<ConformanceCheck> failed = scenario.failedChecks();
			if (failed.isEmpty()) {
				description.append("    no checks written (the suite crashed or was stopped)\n");
			}
			failed.forEach((check) -> description.append("    ").append(check).append('\n'));
		}
		List<String> notScoredFailures = notScoredScenarios().stream()
			.filter((scenario) -> !scenario.passed())
			.map(ScenarioResult::name)
			.toList();
		if (!notScoredFailures.isEmpty()) {
			description.append("not scored, and failed: ").append(String.join(", ", notScoredFailures)).append('\n');
		}
		if (!complete() || scoredScenarios().isEmpty() || failedScenarios().isEmpty()) {
			description.append(describeRun()).append('\n').append(outputTail());
		}
		return description.toString();
	}

	@Override
	public String toString() {
		List<ScenarioResult> scored = scoredScenarios();
		long passed = scored.stream().filter(ScenarioResult::passed).count();
		List<ScenarioResult> notScored = notScoredScenarios();
		String notScoredPassed = notScored.isEmpty() ? ""
				: " (and " + notScored.stream().filter(ScenarioResult::passed).count() + " of " + notScored.size()
						+ " not scored)";
		return passed + " of " + scored.size() + " scored scenarios passed" + notScoredPassed + ", " + describeRun();
	}

	private String describeRun() {
		String ending = this.exitCode.isPresent() ? "the suite exited with " + this.exitCode.getAsInt()
				: "the suite was stopped at the deadline";
		return this.scenarios.size() + " of " + this.announcedScenarios + " announced scenarios ran, " + ending;
	}

	private String outputTail() {
		List<String> lines = this.output.lines().toList();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - OUTPUT_TAIL_LINES), lines.size()));
	}

}
