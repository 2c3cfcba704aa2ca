package dev.vmcp.sessions.mcp.v2026;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.BalancedPods;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.NodeClient;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TypeScript SDK v2 client pinned to 2026-07-28, through two pods behind a balancer
 * that alternates on every request, in front of a member that speaks only 2025 (the
 * official Java SDK): the gateway reaches it through one caller session, so however many
 * clients and requests, on whichever pod, the member sees one {@code initialize}.
 */
class SdkClientSessionMemberIntegrationTests {

	private static final NodeClient DRIVER = new NodeClient("clients/sdk-client.mjs", Duration.ofSeconds(90));

	private static RedisServerProcess redis;

	private static McpBackendServer alpha;

	private static BalancedPods pods;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		alpha = McpBackendServer.start("alpha", ResponseMode.SSE);
		Map<String, Object> properties = TestPod.redisProperties(redis.port());
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url().toString());
		pods = BalancedPods.start(properties);
	}

	@AfterAll
	static void stop() {
		Closing.all(pods, alpha, redis);
	}

	@Test
	void statelessClientsListAndCallA2025MemberThroughOneInitializeWhateverThePod() {
		for (int client = 0; client < 3; client++) {
			JsonNode listed = scenario("list");
			JsonNode called = scenario("call");

			assertThat(listed.path("tools").values().stream().map(JsonNode::asString)).contains("echo", "whoami");
			assertThat(called.path("text").asString()).contains("hello through the gateway");
		}

		assertThat(alpha.initializeCount()).isEqualTo(1);
	}

	private static JsonNode scenario(String scenario) {
		NodeClient.Run run = DRIVER.run(pods.mcpUrl(), "2026-07-28", scenario);

		assertThat(run.exitCode()).as(run::toString).isZero();
		assertThat(run.outcome().path("protocolVersion").asString()).as(run::toString).isEqualTo("2026-07-28");
		return run.outcome();
	}

}
