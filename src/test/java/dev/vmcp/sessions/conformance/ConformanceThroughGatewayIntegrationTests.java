package dev.vmcp.sessions.conformance;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.conformance.ConformanceCheck.Status;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.RoundRobinBalancer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The official MCP conformance suite through the gateway, in front of our conformant 2025
 * backend: every scenario the backend passes on its own, of the active set (suite 0.1.16)
 * and of the 2025-11-25 requirement set (suite 0.2.0), passes through one pod, and
 * through two pods sharing Redis behind a round-robin balancer that sends each request to
 * the other pod.
 */
class ConformanceThroughGatewayIntegrationTests {

	/** The requirement set of the newest revision with sessions, at its wire version. */
	private static final String REVISION = "2025-11-25";

	private static final Set<String> POLLING_CHECKS = Set.of("server-sse-priming-event", "server-sse-retry-field",
			"server-sse-disconnect-resume");

	private static ConformanceBackendServer backend;

	private static ConformanceReport direct;

	private static ConformanceReport directRequired;

	@BeforeAll
	static void startBackend() {
		backend = ConformanceBackendServer.start();
		direct = ConformanceSuite.installed().run(backend.url());
		assertThat(direct.complete()).as(direct::describeFailures).isTrue();
		directRequired = ConformanceSuite.requirements(REVISION).run(backend.url());
		assertThat(directRequired.allPassed()).as(directRequired::describeFailures).isTrue();
	}

	@AfterAll
	static void stopBackend() {
		if (backend != null) {
			backend.close();
		}
	}

	@Test
	void everyScenarioTheBackendPassesPassesThroughOnePod() {
		try (TestPod pod = TestPod.start(backendProperties())) {
			ConformanceReport throughGateway = ConformanceSuite.installed()
				.run(URI.create("http://127.0.0.1:" + pod.port() + "/mcp"));

			assertThat(throughGateway.passedScenarioNames()).as(throughGateway::describeFailures)
				.containsAll(direct.passedScenarioNames());
		}
	}

	@Test
	void everyScenarioTheBackendPassesPassesThroughTwoPodsBehindRoundRobin() {
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			Map<String, Object> properties = TestPod.redisProperties(redis.port());
			properties.putAll(backendProperties());
			try (TestPod podA = TestPod.start(properties);
					TestPod podB = TestPod.start(properties);
					RoundRobinBalancer balancer = RoundRobinBalancer.start(List.of(podA.port(), podB.port()))) {
				ConformanceReport throughGateway = ConformanceSuite.installed().run(balancer.mcpUrl());

				assertThat(throughGateway.passedScenarioNames()).as(throughGateway::describeFailures)
					.containsAll(direct.passedScenarioNames());
			}
		}
	}

	@Test
	void everyScenarioThat20251125RequiresAndTheBackendPassesPassesThroughTwoPodsBehindRoundRobin() {
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			Map<String, Object> properties = TestPod.redisProperties(redis.port());
			properties.putAll(backendProperties());
			try (TestPod podA = TestPod.start(properties);
					TestPod podB = TestPod.start(properties);
					RoundRobinBalancer balancer = RoundRobinBalancer.start(List.of(podA.port(), podB.port()))) {
				ConformanceReport throughGateway = ConformanceSuite.requirements(REVISION).run(balancer.mcpUrl());

				assertThat(throughGateway.passedScenarioNames()).as(throughGateway::describeFailures)
					.containsAll(directRequired.passedScenarioNames());
			}
		}
	}

	@Test
	void everyScenarioThat20251125RequiresAndTheBackendPassesPassesThroughOnePod() {
		try (TestPod pod = TestPod.start(backendProperties())) {
			ConformanceReport throughGateway = ConformanceSuite.requirements(REVISION)
				.run(URI.create("http://127.0.0.1:" + pod.port() + "/mcp"));

			assertThat(throughGateway.passedScenarioNames()).as(throughGateway::describeFailures)
				.containsAll(directRequired.passedScenarioNames());
		}
	}

	/**
	 * Scenario {@code server-sse-polling} (SEP-1699, pending in the suite): the gateway
	 * primes the call's stream, closes its connection while the call goes on (here after
	 * 200 ms), and the client's {@code GET} with {@code Last-Event-ID}, which the
	 * balancer sends to the other pod, gets the result.
	 */
	@Test
	void aStreamClosedForPollingIsResumedOnTheOtherPodAsScenarioServerSsePollingWants() {
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			Map<String, Object> properties = TestPod.redisProperties(redis.port());
			properties.putAll(backendProperties());
			properties.put("vmcp.mcp.stream-poll-interval", "200ms");
			try (TestPod podA = TestPod.start(properties);
					TestPod podB = TestPod.start(properties);
					RoundRobinBalancer balancer = RoundRobinBalancer.start(List.of(podA.port(), podB.port()))) {
				ConformanceReport polling = ConformanceSuite.installed()
					.scenario("server-sse-polling")
					.run(balancer.mcpUrl());

				assertThat(polling.scenarios()).singleElement().satisfies((scenario) -> {
					assertThat(scenario.name()).isEqualTo("server-sse-polling");
					assertThat(scenario.checks()).filteredOn((check) -> POLLING_CHECKS.contains(check.id()))
						.as(polling::describeFailures)
						.extracting(ConformanceCheck::id, ConformanceCheck::status)
						.containsExactlyInAnyOrder(tuple("server-sse-priming-event", Status.SUCCESS),
								tuple("server-sse-retry-field", Status.SUCCESS),
								tuple("server-sse-disconnect-resume", Status.SUCCESS));
				});
			}
		}
	}

	private static Map<String, Object> backendProperties() {
		return Map.of("vmcp.backends[0].name", "everything", "vmcp.backends[0].url", backend.url());
	}

}
