package dev.vmcp.sessions.mcp;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RawMcpClient;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.RoundRobinBalancer;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A member redeployed at the same URL in the other revision (2025 only, then 2026-07-28
 * only, and the other way round), behind two pods that alternate on every request: the
 * clients of both revisions, a 2025 session started before the switch included, list and
 * call again within seconds, long before the pods' verdicts on the member's revision
 * expire, without a gateway restart and without a 500 on the way.
 */
class MemberRedeployIntegrationTests {

	/** Well below {@code vmcp.mcp.member-revision-ttl}: the answers must tell. */
	private static final Duration SWITCH_BOUND = Duration.ofSeconds(20);

	private final List<Integer> statuses = new CopyOnWriteArrayList<>();

	private RedisServerProcess redis;

	private AutoCloseable member;

	private TestPod podA;

	private TestPod podB;

	private RoundRobinBalancer balancer;

	private StatelessClient statelessClient;

	private RawMcpClient sessionClient;

	@AfterEach
	void stop() {
		Closing.all(this.balancer, this.podA, this.podB, this.member, this.redis);
	}

	@Test
	void aMemberRedeployedFrom2025To2026KeepsServingClientsOfBothRevisions() throws Exception {
		McpBackendServer sessions = McpBackendServer.start("alpha", ResponseMode.SSE);
		int port = sessions.url().getPort();
		start(sessions, sessions.url().toString());
		assertBothRevisionsListAndCall("hello");

		sessions.close();
		this.member = StatelessMcpServer.startAt("alpha", port);

		await().atMost(SWITCH_BOUND)
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertBothRevisionsListAndCall("alpha: hello"));
		assertBothRevisionsListAndCall("alpha: hello");
		assertThat(this.statuses).doesNotContain(500);
	}

	@Test
	void aMemberRedeployedFrom2026To2025KeepsServingClientsOfBothRevisions() throws Exception {
		StatelessMcpServer stateless = StatelessMcpServer.start("alpha");
		int port = URI.create(stateless.url()).getPort();
		start(stateless, stateless.url());
		assertBothRevisionsListAndCall("alpha: hello");

		stateless.close();
		this.member = McpBackendServer.startAt("alpha", ResponseMode.SSE, port);

		await().atMost(SWITCH_BOUND)
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertBothRevisionsListAndCall("hello"));
		assertBothRevisionsListAndCall("hello");
		assertThat(this.statuses).doesNotContain(500);
	}

	private void start(AutoCloseable firstMember, String url) {
		this.member = firstMember;
		this.redis = RedisServerProcess.start();
		Map<String, Object> properties = TestPod.redisProperties(this.redis.port());
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", url);
		this.podA = TestPod.start(properties);
		this.podB = TestPod.start(properties);
		this.balancer = RoundRobinBalancer.start(List.of(this.podA.port(), this.podB.port()));
		this.statelessClient = new StatelessClient(this.balancer.mcpUrl());
		this.sessionClient = new RawMcpClient();
		this.sessionClient.initialize(this.balancer.port());
	}

	/** Each on both pods: the balancer alternates on every request. */
	private void assertBothRevisionsListAndCall(String echoed) {
		for (int round = 0; round < 2; round++) {
			assertListsAndCalls(this::statelessSend, echoed);
			assertListsAndCalls(this::sessionSend, echoed);
		}
	}

	private void assertListsAndCalls(Sender sender, String echoed) {
		JsonNode listed = StatelessClient.message(sender.send(2, "tools/list", "{}"));
		assertThat(listed.path("result").path("tools").values().stream().map((tool) -> tool.path("name").asString()))
			.as(listed.toString())
			.contains("echo");
		JsonNode called = StatelessClient
			.message(sender.send(3, "tools/call", "{\"name\":\"echo\",\"arguments\":{\"text\":\"hello\"}}"));
		assertThat(called.path("result").path("content").path(0).path("text").asString()).as(called.toString())
			.isEqualTo(echoed);
	}

	private HttpResponse<String> statelessSend(int id, String method, String params) {
		return recorded(this.statelessClient.send(StatelessClient.request(id, method, params)));
	}

	private HttpResponse<String> sessionSend(int id, String method, String params) {
		return recorded(this.sessionClient.post(this.balancer.port(),
				"{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}"));
	}

	private HttpResponse<String> recorded(HttpResponse<String> response) {
		this.statuses.add(response.statusCode());
		return response;
	}

	@FunctionalInterface
	private interface Sender {

		HttpResponse<String> send(int id, String method, String params);

	}

}
