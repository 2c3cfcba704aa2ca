package dev.vmcp.sessions.conformance;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.testsupport.NodeMember;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.RoundRobinBalancer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conformance suite's 2026-07-28 requirement set through the gateway, in front of a
 * member that speaks only that revision and passes the set on its own: every scenario the
 * member passes directly, scored or not, passes through one pod, and through two pods
 * sharing Redis behind a balancer that sends each request to the other pod.
 */
class StatelessConformanceThroughGatewayIntegrationTests {

	private static final String REVISION = "2026-07-28";

	private static NodeMember member;

	private static ConformanceReport direct;

	@BeforeAll
	static void startMember() {
		member = NodeMember.start("members/stateless-member.mjs");
		direct = ConformanceSuite.requirements(REVISION).run(member.url());
		assertThat(direct.allPassed()).as(direct::describeFailures).isTrue();
	}

	@AfterAll
	static void stopMember() {
		if (member != null) {
			member.close();
		}
	}

	@Test
	void everyScenarioTheMemberPassesPassesThroughOnePod() {
		try (TestPod pod = TestPod.start(memberProperties())) {
			ConformanceReport throughGateway = ConformanceSuite.requirements(REVISION)
				.run(URI.create("http://127.0.0.1:" + pod.port() + "/mcp"));

			assertThat(throughGateway.passedScenarioNames()).as(throughGateway::describeFailures)
				.containsAll(direct.passedScenarioNames());
		}
	}

	@Test
	void everyScenarioTheMemberPassesPassesThroughTwoPodsBehindRoundRobin() {
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			Map<String, Object> properties = TestPod.redisProperties(redis.port());
			properties.putAll(memberProperties());
			try (TestPod podA = TestPod.start(properties);
					TestPod podB = TestPod.start(properties);
					RoundRobinBalancer balancer = RoundRobinBalancer.start(List.of(podA.port(), podB.port()))) {
				ConformanceReport throughGateway = ConformanceSuite.requirements(REVISION).run(balancer.mcpUrl());

				assertThat(throughGateway.passedScenarioNames()).as(throughGateway::describeFailures)
					.containsAll(direct.passedScenarioNames());
			}
		}
	}

	private static Map<String, Object> memberProperties() {
		return Map.of("vmcp.backends[0].name", "everything", "vmcp.backends[0].url", member.url().toString());
	}

}
