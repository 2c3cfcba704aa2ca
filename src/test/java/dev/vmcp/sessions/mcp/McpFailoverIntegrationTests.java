package dev.vmcp.sessions.mcp;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RawMcpClient;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.RoundRobinBalancer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An MCP client's session survives a pod killed mid-conversation, a backend restarted
 * mid-session and a backend that is down for a while; only the requests routed to a
 * failing backend fail.
 */
class McpFailoverIntegrationTests {

	private RedisServerProcess redis;

	private McpBackendServer alpha;

	private McpBackendServer beta;

	private TestPod podA;

	private TestPod podB;

	private RoundRobinBalancer balancer;

	@BeforeEach
	void start() {
		this.redis = RedisServerProcess.start();
		this.alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		this.beta = McpBackendServer.start("beta", ResponseMode.SSE);
		this.podA = TestPod.start(podProperties());
		this.podB = TestPod.start(podProperties());
		this.balancer = RoundRobinBalancer.start(List.of(this.podA.port(), this.podB.port()));
	}

	@AfterEach
	void stop() {
		Closing.all(this.balancer, this.podA, this.podB, this.alpha, this.beta, this.redis);
	}

	@Test
	void aPodKilledMidConversationLeavesTheSessionAndItsBackendSessionsToTheOther() {
		try (McpSyncClient client = client()) {
			client.initialize();
			assertThat(text(client.callTool(new CallToolRequest("alpha_whoami", Map.of())))).isEqualTo("alpha");
			String sessionId = this.balancer.lastSessionId();
			JsonNode before = session(this.podB, sessionId);
			int initializesBefore = this.alpha.initializeCount() + this.beta.initializeCount();

			this.podA.close();

			assertThat(text(client.callTool(new CallToolRequest("beta_whoami", Map.of())))).isEqualTo("beta");
			assertThat(text(client.callTool(new CallToolRequest("alpha_whoami", Map.of())))).isEqualTo("alpha");
			JsonNode after = session(this.podB, sessionId);
			assertThat(after.get("backends")).isEqualTo(before.get("backends"));
			assertThat(this.alpha.initializeCount() + this.beta.initializeCount()).isEqualTo(initializesBefore);
		}
	}

	@Test
	void aBackendRestartedMidSessionIsInitializedAgainAndTheSessionGoesOn() {
		try (McpSyncClient client = client()) {
			client.initialize();
			assertThat(text(client.callTool(new CallToolRequest("beta_whoami", Map.of())))).isEqualTo("beta");
			int initializesBefore = this.beta.initializeCount();

			this.beta.restart();

			assertThat(text(client.callTool(new CallToolRequest("beta_whoami", Map.of())))).isEqualTo("beta");
			assertThat(text(client.callTool(new CallToolRequest("beta_echo", Map.of("text", "again")))))
				.isEqualTo("again");
			assertThat(this.beta.initializeCount()).isEqualTo(initializesBefore + 1);
		}
	}

	@Test
	void aMembersStreamIsOpenedAgainOnItsNewSessionAfterTheMemberRestarts() {
		RawMcpClient client = new RawMcpClient();
		client.initialize(this.podA.port());
		RawMcpClient.OpenStream stream = client.openStream(this.podA.port());
		// The members' streams open right after the client's; a keep-alive comes later.
		await().atMost(Duration.ofSeconds(10)).until(() -> stream.lines().contains(": keep-alive"));
		int initializesBefore = this.beta.initializeCount();

		this.beta.restart();

		// Nothing else asks beta anything: the stream's own 404 makes the pod
		// initialize it
		await().atMost(Duration.ofSeconds(10)).until(() -> this.beta.initializeCount() == initializesBefore + 1);
		int[] added = new int[1];
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
			this.beta.addTool("after-restart-" + added[0]++);
			return announcesListChange(stream);
		});
		assertThat(stream.hasEnded()).isFalse();
	}

	@Test
	void aBackendThatIsDownFailsOnlyItsOwnCallsAndItsToolsComeBackWithIt() {
		try (McpSyncClient client = client()) {
			client.initialize();
			assertThat(toolNames(client)).contains("alpha_whoami", "beta_whoami");

			this.alpha.stop();

			assertThatThrownBy(() -> client.callTool(new CallToolRequest("alpha_whoami", Map.of())))
				.hasMessageContaining("alpha");
			assertThat(text(client.callTool(new CallToolRequest("beta_whoami", Map.of())))).isEqualTo("beta");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(toolNames(client)).contains("only-beta")
					.doesNotContain("alpha_whoami", "only-alpha"));
			// Learned while alpha was up, the prefixed name still reaches beta.
			assertThat(text(client.callTool(new CallToolRequest("beta_whoami", Map.of())))).isEqualTo("beta");

			this.alpha.restart();

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(toolNames(client)).contains("alpha_whoami", "beta_whoami"));
			assertThat(text(client.callTool(new CallToolRequest("alpha_whoami", Map.of())))).isEqualTo("alpha");
		}
	}

	@Test
	void aSlowBackendTimesOutAloneWithoutHoldingUpTheOthers() {
		RawMcpClient client = new RawMcpClient();
		client.initialize(this.podA.port());
		assertThat(client.post(this.podA.port(), call(2, "alpha_whoami")).body()).contains("alpha");
		this.alpha.hang(true);
		try {
			CompletableFuture<HttpResponse<String>> slow = CompletableFuture
				.supplyAsync(() -> client.post(this.podA.port(), call(3, "alpha_whoami")));

			assertThat(client.post(this.podA.port(), call(4, "beta_whoami")).body()).contains("\"text\":\"beta\"");
			assertThat(slow).isNotDone();
			assertThat(slow.join().body()).contains("\"id\":3", "\"code\":-32010", "did not answer within 1000 ms");
		}
		finally {
			this.alpha.hang(false);
		}
		assertThat(client.post(this.podA.port(), call(5, "alpha_whoami")).body()).contains("\"text\":\"alpha\"");
	}

	private static String call(int id, String tool) {
		return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
				+ "\",\"arguments\":{}}}";
	}

	@Test
	void aRedisOutageIsA503ThatSaysSoAndTheSessionIsKept() {
		RawMcpClient client = new RawMcpClient();
		client.initialize(this.podA.port());
		String ping = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}";
		this.redis.pause();
		HttpResponse<String> duringOutage;
		try {
			duringOutage = client.post(this.podA.port(), ping);
		}
		finally {
			this.redis.resume();
		}

		assertThat(duringOutage.statusCode()).isEqualTo(503);
		assertThat(duringOutage.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(duringOutage.body()).contains("\"code\":-32603", "session store is unavailable");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(client.post(this.podA.port(), ping).statusCode()).isEqualTo(200));
	}

	@Test
	void aPodHoldingAClientStreamShutsDownWithoutWaitingForIt() {
		RawMcpClient client = new RawMcpClient();
		client.initialize(this.podA.port());
		RawMcpClient.OpenStream stream = client.openStream(this.podA.port());
		await().atMost(Duration.ofSeconds(10)).until(() -> stream.lines().contains(": keep-alive"));

		long start = System.nanoTime();
		this.podA.close();
		Duration shutdown = Duration.ofNanos(System.nanoTime() - start);

		System.out.printf("Pod holding a client stream shut down in %d ms%n", shutdown.toMillis());
		assertThat(stream.hasEnded()).isTrue();
		// The graceful shutdown would otherwise wait its 30 s for the stream.
		assertThat(shutdown).isLessThan(Duration.ofSeconds(15));
		assertThat(client.post(this.podB.port(), "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}").statusCode())
			.isEqualTo(200);
	}

	private Map<String, Object> podProperties() {
		Map<String, Object> properties = TestPod.redisProperties(this.redis.port());
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", this.alpha.url());
		properties.put("vmcp.backends[1].name", "beta");
		properties.put("vmcp.backends[1].url", this.beta.url());
		properties.put("vmcp.backends[0].call-timeout", "1s");
		properties.put("vmcp.mcp.keep-alive-interval", "1s");
		properties.put("vmcp.session.backend-retry-interval", "300ms");
		properties.put("resilience4j.timelimiter.instances.session-load.timeout-duration", "500ms");
		return properties;
	}

	private McpSyncClient client() {
		return McpClient
			.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + this.balancer.port())
				.endpoint("/mcp")
				.build())
			.requestTimeout(Duration.ofSeconds(20))
			.build();
	}

	private JsonNode session(TestPod pod, String sessionId) {
		return pod.http().get("/api/v1/sessions/" + sessionId).json();
	}

	private static List<String> toolNames(McpSyncClient client) {
		List<String> names = new java.util.ArrayList<>();
		String cursor = null;
		do {
			var page = client.listTools(cursor);
			page.tools().stream().map(Tool::name).forEach(names::add);
			cursor = page.nextCursor();
		}
		while (cursor != null);
		return names;
	}

	private static boolean announcesListChange(RawMcpClient.OpenStream stream) {
		return stream.lines().stream().anyMatch((line) -> line.contains("notifications/tools/list_changed"));
	}

	private static String text(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

}
