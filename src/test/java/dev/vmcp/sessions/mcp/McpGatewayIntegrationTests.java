package dev.vmcp.sessions.mcp;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.InitializeResult;
import io.modelcontextprotocol.spec.McpSchema.ListToolsResult;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.testsupport.BalancedPods;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RawMcpClient;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The official MCP Java SDK client against two pods sharing one Redis, behind a
 * round-robin balancer that sends each HTTP request to the other pod, with two real
 * backends whose names conflict: {@code alpha} answers in JSON, {@code beta} in SSE.
 */
class McpGatewayIntegrationTests {

	private static RedisServerProcess redis;

	private static McpBackendServer alpha;

	private static McpBackendServer beta;

	private static BalancedPods pods;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		beta = McpBackendServer.start("beta", ResponseMode.SSE);
		pods = BalancedPods.start(podProperties());
	}

	@AfterAll
	static void stop() {
		Closing.all(pods, alpha, beta, redis);
	}

	static Map<String, Object> podProperties() {
		Map<String, Object> properties = TestPod.redisProperties(redis.port());
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[1].name", "beta");
		properties.put("vmcp.backends[1].url", beta.url());
		properties.put("vmcp.mcp.keep-alive-interval", "1s");
		return properties;
	}

	@Test
	void initializePresentsTheMembersAsOneServer() {
		try (McpSyncClient client = client(McpClient.sync(transport()))) {
			InitializeResult result = client.initialize();

			assertThat(result.serverInfo().name()).isEqualTo("vmcp-sessions");
			assertThat(result.capabilities().tools()).isNotNull();
			assertThat(result.capabilities().tools().listChanged()).isTrue();
			assertThat(result.capabilities().prompts()).isNotNull();
			assertThat(result.capabilities().resources()).isNotNull();
			assertThat(result.capabilities().logging()).isNotNull();
			assertThat(result.capabilities().completions()).isNull();
		}
	}

	@Test
	void toolListsMergeAcrossPagesWithSharedNamesPrefixed() {
		try (McpSyncClient client = client(McpClient.sync(transport()))) {
			client.initialize();
			List<String> names = new ArrayList<>();
			ListToolsResult page = client.listTools(null);
			int pages = 1;
			page.tools().stream().map(Tool::name).forEach(names::add);
			while (page.nextCursor() != null) {
				page = client.listTools(page.nextCursor());
				page.tools().stream().map(Tool::name).forEach(names::add);
				pages++;
			}

			assertThat(pages).isEqualTo(2);
			assertThat(names).doesNotHaveDuplicates()
				.contains("alpha_echo", "beta_echo", "alpha_whoami", "beta_whoami", "only-alpha", "only-beta")
				.doesNotContain("echo", "whoami", "alpha_only-alpha");
		}
	}

	@Test
	void callsPromptsAndResourcesAreRoutedToTheirMember() {
		try (McpSyncClient client = client(McpClient.sync(transport()))) {
			client.initialize();

			assertThat(text(client.callTool(new CallToolRequest("alpha_whoami", Map.of())))).isEqualTo("alpha");
			assertThat(text(client.callTool(new CallToolRequest("beta_whoami", Map.of())))).isEqualTo("beta");
			assertThat(text(client.callTool(new CallToolRequest("only-beta", Map.of())))).isEqualTo("beta");
			assertThat(text(client.callTool(new CallToolRequest("alpha_echo", Map.of("text", "hi"))))).isEqualTo("hi");
			TextContent greeting = (TextContent) client
				.getPrompt(new GetPromptRequest("beta_greet", Map.of("name", "Ada")))
				.messages()
				.get(0)
				.content();
			assertThat(greeting.text()).isEqualTo("Hello Ada from beta");
			TextResourceContents info = (TextResourceContents) client
				.readResource(new ReadResourceRequest("alpha://info"))
				.contents()
				.get(0);
			assertThat(info.text()).isEqualTo("info of alpha");
			assertThat(requestsCounted("tools/call", "alpha") + requestsCounted("tools/call", "beta"))
				.isGreaterThanOrEqualTo(4);
			assertThat(requestsCounted("prompts/get", "beta")).isPositive();
		}
	}

	@Test
	void anUnknownToolIsAnErrorAndTheSessionGoesOn() {
		try (McpSyncClient client = client(McpClient.sync(transport()))) {
			client.initialize();

			assertThatThrownBy(() -> client.callTool(new CallToolRequest("nobody_has_it", Map.of())))
				.hasMessageContaining("Unknown tool");
			assertThat(text(client.callTool(new CallToolRequest("only-alpha", Map.of())))).isEqualTo("alpha");
		}
	}

	@Test
	void progressAndLogsRideTheCallsOwnStreamBeforeItsResult() {
		List<String> seen = new CopyOnWriteArrayList<>();
		try (McpSyncClient client = client(McpClient.sync(transport())
			.progressConsumer((ProgressNotification progress) -> seen.add("progress " + progress.message()))
			.loggingConsumer((LoggingMessageNotification log) -> seen.add("log " + log.data())))) {
			client.initialize();

			CallToolResult result = client
				.callTool(CallToolRequest.builder("beta_work").meta(Map.of("progressToken", "p-1")).build());
			seen.add("result " + text(result));

			// The client hands progress and log messages to their consumers on schedulers
			// of its own, so they may be heard after the call returns: the order is
			// checked on the wire below.
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(seen).containsExactlyInAnyOrder("progress half", "log working on beta",
						"progress done", "result worked on beta"));
		}
		RawMcpClient raw = new RawMcpClient();
		raw.initialize(pods.first().port());
		HttpResponse<String> answer = raw.post(pods.second().port(),
				"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"beta_work\","
						+ "\"arguments\":{},\"_meta\":{\"progressToken\":\"p-2\"}}}");
		assertThat(answer.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
		String events = answer.body();
		int half = events.indexOf("\"message\":\"half\"");
		int log = events.indexOf("working on beta");
		int done = events.indexOf("\"message\":\"done\"");
		int resultAt = events.indexOf("worked on beta");
		assertThat(half).as(events).isNotNegative();
		assertThat(log).as(events).isGreaterThan(half);
		assertThat(done).as(events).isGreaterThan(log);
		assertThat(resultAt).as(events).isGreaterThan(done);
	}

	@Test
	void samplingIsAnsweredThroughTheOtherPod() {
		try (McpSyncClient client = client(McpClient.sync(transport())
			.capabilities(ClientCapabilities.builder().sampling().build())
			.sampling((request) -> new CreateMessageResult(Role.ASSISTANT, new TextContent("4"), "test-model",
					CreateMessageResult.StopReason.END_TURN)))) {
			client.initialize();

			assertThat(text(client.callTool(new CallToolRequest("beta_ask", Map.of())))).isEqualTo("model said 4");
		}
	}

	@Test
	void elicitationIsAnsweredThroughTheOtherPod() {
		try (McpSyncClient client = client(McpClient.sync(transport())
			.capabilities(ClientCapabilities.builder().elicitation().build())
			.elicitation((request) -> new ElicitResult(ElicitResult.Action.ACCEPT, Map.of("ok", true))))) {
			client.initialize();

			assertThat(text(client.callTool(new CallToolRequest("beta_confirm", Map.of()))))
				.isEqualTo("user said ACCEPT {ok=true}");
		}
	}

	@Test
	void aMembersListChangeReachesTheClientsStandaloneStream() {
		List<List<String>> announced = new CopyOnWriteArrayList<>();
		try (McpSyncClient client = client(McpClient.sync(transport())
			.toolsChangeConsumer((tools) -> announced.add(tools.stream().map(Tool::name).toList())))) {
			client.initialize();
			client.listTools(null);
			awaitStandaloneStreams(1);

			beta.addTool("fresh");

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(announced).anySatisfy((tools) -> assertThat(tools).contains("fresh")));
			assertThat(text(client.callTool(new CallToolRequest("fresh", Map.of())))).isEqualTo("beta");
		}
	}

	@Test
	void theStandaloneStreamMovesToThePodThatTakesItAndMemberNotificationsFollow() {
		RawMcpClient client = new RawMcpClient();
		client.initialize(pods.first().port());
		RawMcpClient.OpenStream onA = client.openStream(pods.first().port());
		// The members' streams open right after the client's; a keep-alive comes later.
		await().atMost(Duration.ofSeconds(10)).until(() -> keptAlive(onA));
		beta.addTool("before-handover");
		await().atMost(Duration.ofSeconds(10)).until(() -> announcesListChange(onA));

		RawMcpClient.OpenStream onB = client.openStream(pods.second().port());

		await().atMost(Duration.ofSeconds(10)).until(onA::hasEnded);
		await().atMost(Duration.ofSeconds(10)).until(() -> keptAlive(onB));
		beta.addTool("after-handover");
		await().atMost(Duration.ofSeconds(10)).until(() -> announcesListChange(onB));
		assertThat(onB.hasEnded()).isFalse();
	}

	@Test
	void loggingLevelsAndCancellationsReachEveryMember() {
		Set<String> alphaSessionsBefore = alpha.liveSessionIds();
		Set<String> betaSessionsBefore = beta.liveSessionIds();
		RawMcpClient client = new RawMcpClient();
		client.initialize(pods.first().port());
		String alphaSession = newSession(alpha.liveSessionIds(), alphaSessionsBefore);
		String betaSession = newSession(beta.liveSessionIds(), betaSessionsBefore);
		int alphaRequests = alpha.requestCount(alphaSession);
		int betaRequests = beta.requestCount(betaSession);

		var setLevel = client.post(pods.first().port(),
				"{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"error\"}}");
		var cancelled = client.post(pods.first().port(), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
				+ "\"params\":{\"requestId\":42,\"reason\":\"no longer needed\"}}");

		assertThat(setLevel.statusCode()).isEqualTo(200);
		assertThat(setLevel.body()).contains("\"id\":9", "\"result\":{}");
		assertThat(cancelled.statusCode()).isEqualTo(202);
		assertThat(alpha.requestCount(alphaSession)).isEqualTo(alphaRequests + 2);
		assertThat(beta.requestCount(betaSession)).isEqualTo(betaRequests + 2);
	}

	private static String newSession(Set<String> now, Set<String> before) {
		Set<String> created = new HashSet<>(now);
		created.removeAll(before);
		assertThat(created).hasSize(1);
		return created.iterator().next();
	}

	private static boolean keptAlive(RawMcpClient.OpenStream stream) {
		return stream.lines().contains(": keep-alive");
	}

	private static boolean announcesListChange(RawMcpClient.OpenStream stream) {
		return stream.lines().stream().anyMatch((line) -> line.contains("notifications/tools/list_changed"));
	}

	private static void awaitStandaloneStreams(int atLeast) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> openClientStreams(pods.first()) + openClientStreams(pods.second()) >= atLeast);
	}

	/** Calls answered without error, as both pods' metrics count them. */
	private static long requestsCounted(String method, String member) {
		long count = 0;
		for (TestPod pod : List.of(pods.first(), pods.second())) {
			Timer timer = pod.bean(MeterRegistry.class)
				.find("vmcp.mcp.requests")
				.tags("method", method, "member", member, "outcome", "ok")
				.timer();
			count += (timer != null) ? timer.count() : 0;
		}
		return count;
	}

	private static double openClientStreams(TestPod pod) {
		return pod.bean(MeterRegistry.class).get("vmcp.mcp.streams.open").tag("side", "client").gauge().value();
	}

	static HttpClientStreamableHttpTransport transport() {
		return HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + pods.balancer().port())
			.endpoint("/mcp")
			.build();
	}

	static McpSyncClient client(McpClient.SyncSpec spec) {
		return spec.requestTimeout(Duration.ofSeconds(20)).build();
	}

	static String text(CallToolResult result) {
		assertThat(result.isError()).as("tool error: %s", result.content()).isNotEqualTo(Boolean.TRUE);
		return ((TextContent) result.content().get(0)).text();
	}

}
