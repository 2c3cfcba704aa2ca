package dev.vmcp.sessions.conformance;

import java.util.List;

/**
 * The outcome of one scenario of the suite.
 *
 * @param name the scenario name, e.g. {@code tools-call-sampling}
 * @param checks its checks; empty when the suite wrote none (it crashed or was stopped)
 */
public record ScenarioResult(String name, List<ConformanceCheck> checks) {

	public ScenarioResult {
		checks = List.copyOf(checks);
	}

	/**
	 * Whether the scenario passed: the suite's own rule, no failed check, and at least
	 * one check written.
	 * @return {@code true} if it passed
	 */
	public boolean passed() {
		return !this.checks.isEmpty() && this.checks.stream().noneMatch(ConformanceCheck::failed);
	}

	/**
	 * The checks that failed.
	 * @return the failed checks, in the suite's order
	 */
	public List<ConformanceCheck> failedChecks() {
		return this.checks.stream().filter(ConformanceCheck::failed).toList();
	}

}
