package dev.vmcp.sessions.conformance;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one scenario of the suite.
 *
 * @param name the scenario name, e.g. {@code tools-call-sampling}
 * @param checks its checks; empty when the suite wrote none (it crashed or was stopped)
 * @param notScoredReason why the run's requirement set runs this scenario without scoring
 * it, as the suite says ({@code extension}, {@code pending},
 * {@code added-after-release}); {@code null} for a scenario that counts
 */
public record ScenarioResult(String name, List<ConformanceCheck> checks, @Nullable String notScoredReason) {

	public ScenarioResult {
		checks = List.copyOf(checks);
	}

	/**
	 * A scenario that counts.
	 * @param name the scenario name
	 * @param checks its checks
	 */
	public ScenarioResult(String name, List<ConformanceCheck> checks) {
		this(name, checks, null);
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
	 * Whether the scenario counts towards conformance: every scenario of an active-suite
	 * run does, and in a requirements run those the revision requires.
	 * @return {@code true} unless the run's requirement set does not score it
	 */
	public boolean scored() {
		return this.notScoredReason == null;
	}

	/**
	 * The checks that failed.
	 * @return the failed checks, in the suite's order
	 */
	public List<ConformanceCheck> failedChecks() {
		return this.checks.stream().filter(ConformanceCheck::failed).toList();
	}

}
