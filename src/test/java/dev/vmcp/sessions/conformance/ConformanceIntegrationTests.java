package dev.vmcp.sessions.conformance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official MCP conformance suite against our conformance backend on its own: the
 * backend must pass every active server scenario of suite 0.1.16, and every server
 * scenario that revision 2025-11-25 requires of suite 0.2.0, so that it can serve as the
 * reference a gateway in front of it is held to. Needs the suite installed by the build
 * (see {@link ConformanceSuite}); without it the test fails and says so.
 */
class ConformanceIntegrationTests {

	private static ConformanceBackendServer backend;

	@BeforeAll
	static void startBackend() {
		backend = ConformanceBackendServer.start();
	}

	@AfterAll
	static void stopBackend() {
		if (backend != null) {
			backend.close();
		}
	}

	@Test
	void theBackendPassesEveryActiveServerScenario() {
		ConformanceReport report = ConformanceSuite.installed().run(backend.url());

		assertThat(report.allPassed()).as(report::describeFailures).isTrue();
	}

	@Test
	void theBackendPassesEveryScenarioThatRevision20251125Requires() {
		ConformanceReport report = ConformanceSuite.requirements("2025-11-25").run(backend.url());

		assertThat(report.allPassed()).as(report::describeFailures).isTrue();
	}

	@Test
	void theSuiteNamesTheScenariosAServerWithoutTheirToolsFails() {
		try (McpBackendServer plain = McpBackendServer.start("plain", ResponseMode.SSE)) {
			ConformanceReport report = ConformanceSuite.installed().run(plain.url());

			assertThat(report.complete()).as(report::describeFailures).isTrue();
			assertThat(report.allPassed()).isFalse();
			assertThat(report.passedScenarioNames()).contains("server-initialize", "ping", "tools-list");
			assertThat(report.failedScenarios()).extracting(ScenarioResult::name)
				.contains("tools-call-simple-text", "tools-call-image", "resources-read-text");
			assertThat(report.describeFailures()).contains("ToolsCallSimpleText [FAILURE]");
		}
	}

}
