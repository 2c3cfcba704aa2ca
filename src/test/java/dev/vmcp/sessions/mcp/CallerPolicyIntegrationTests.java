package dev.vmcp.sessions.mcp;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.audit.CapturedAuditEvents;
import dev.vmcp.sessions.testsupport.BalancedPods;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestIssuer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Policies in CEL decide who sees what, through two pods behind an alternating balancer:
 * {@code ana} (group {@code ops}) sees every tool; {@code bo} (group {@code dev}) does
 * not see destructive tools, nor the 2025 member's interactive ones, nor the 2026
 * member's resources. What a caller does not see is absent from the lists and unknown
 * when called, exactly like a name that does not exist, in both revisions (the audit
 * alone says it was denied); a 2026-07-28 list a policy shapes is private.
 */
@ExtendWith(OutputCaptureExtension.class)
class CallerPolicyIntegrationTests {

	private static final List<String> ALL_TOOLS = List.of("alpha_echo", "whoami", "only-alpha", "work", "ask",
			"alpha_confirm", "roots", "gamma_echo", "add", "progress", "log", "needs_sampling", "gamma_confirm",
			"slow_task");

	private static final List<String> DEV_TOOLS = List.of("alpha_echo", "whoami", "only-alpha", "work", "roots",
			"gamma_echo", "add", "progress", "log", "needs_sampling", "gamma_confirm");

	private static TestIssuer issuer;

	private static RedisServerProcess redis;

	private static McpBackendServer alpha;

	private static StatelessMcpServer gamma;

	private static BalancedPods pods;

	@BeforeAll
	static void start() {
		issuer = TestIssuer.create();
		redis = RedisServerProcess.start();
		alpha = McpBackendServer.start("alpha", ResponseMode.SSE);
		gamma = StatelessMcpServer.start("gamma");
		Map<String, Object> properties = new HashMap<>(TestPod.redisProperties(redis.port()));
		properties.putAll(issuer.podProperties());
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[1].name", "gamma");
		properties.put("vmcp.backends[1].url", gamma.url());
		rule(properties, 0, "destructive-for-ops-only", "deny",
				"has(item.annotations) && has(item.annotations.destructiveHint)"
						+ " && item.annotations.destructiveHint && !('ops' in claims.groups)");
		// The member's own name: the list shows alpha's confirm as alpha_confirm.
		rule(properties, 1, "interactive-alpha-for-ops", "deny",
				"member == 'alpha' && kind == 'tool' && item.name in ['ask', 'confirm'] && !('ops' in claims.groups)");
		rule(properties, 2, "gamma-notes-for-ops", "deny",
				"kind == 'resource' && member == 'gamma' && !('ops' in claims.groups)");
		pods = BalancedPods.start(properties);
	}

	private static void rule(Map<String, Object> properties, int index, String name, String effect, String when) {
		properties.put("vmcp.policy.rules[" + index + "].name", name);
		properties.put("vmcp.policy.rules[" + index + "].effect", effect);
		properties.put("vmcp.policy.rules[" + index + "].when", when);
	}

	@AfterAll
	static void stop() {
		Closing.all(pods, alpha, gamma, redis);
	}

	@Test
	void a2025ClientSeesAndCallsWhatItsClaimsAllow() {
		try (McpSyncClient ops = client(token("ana", "ops")); McpSyncClient dev = client(token("bo", "dev"))) {
			ops.initialize();
			dev.initialize();

			assertThat(ops.listTools().tools()).extracting(Tool::name).containsExactlyInAnyOrderElementsOf(ALL_TOOLS);
			assertThat(dev.listTools().tools()).extracting(Tool::name).containsExactlyInAnyOrderElementsOf(DEV_TOOLS);

			assertThat(unknownTool(dev, "slow_task"))
				.isEqualTo(unknownTool(dev, "no_such_tool").replace("no_such_tool", "slow_task"));
			assertThat(unknownTool(dev, "alpha_confirm")).isEqualTo("Unknown tool: alpha_confirm");
			assertThat(((TextContent) dev.callTool(new CallToolRequest("whoami", Map.of())).content().get(0)).text())
				.isEqualTo("alpha");

			assertThat(ops.listResources().resources()).extracting(Resource::uri).contains("stateless://gamma/note");
			assertThat(dev.listResources().resources()).extracting(Resource::uri)
				.doesNotContain("stateless://gamma/note");
			McpError hiddenRead = catchThrowableOfType(McpError.class,
					() -> dev.readResource(new ReadResourceRequest("stateless://gamma/note")));
			assertThat(hiddenRead.getJsonRpcError().code()).isEqualTo(JsonRpc.RESOURCE_NOT_FOUND);
		}
		assertThat(gamma.received("tools/call"))
			.noneMatch((call) -> call.body().path("params").path("name").asString().equals("slow_task"));
	}

	@Test
	void a2026ClientSeesAndCallsWhatItsClaimsAllowAndItsListsArePrivate(CapturedOutput output) {
		StatelessClient client = new StatelessClient(pods.mcpUrl());
		Map<String, String> ops = Map.of("Authorization", "Bearer " + token("ana", "ops"));
		Map<String, String> dev = Map.of("Authorization", "Bearer " + token("bo", "dev"));

		assertThat(client.toolNames(ops)).containsExactlyInAnyOrderElementsOf(ALL_TOOLS);
		assertThat(client.toolNames(dev)).containsExactlyInAnyOrderElementsOf(DEV_TOOLS);
		JsonNode firstPage = StatelessClient.message(client.send(StatelessClient.request(1, "tools/list", "{}"), dev))
			.path("result");
		assertThat(firstPage.path("cacheScope").asString()).isEqualTo("private");

		JsonNode hidden = StatelessClient.message(client
			.send(StatelessClient.request(2, "tools/call", "{\"name\":\"slow_task\",\"arguments\":{}}"), dev));
		assertThat(hidden.path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_PARAMS);
		assertThat(hidden.path("error").path("message").asString()).isEqualTo("Unknown tool: slow_task");
		JsonNode audited = new CapturedAuditEvents(output).one("tools/call", CapturedAuditEvents.named("slow_task"));
		assertThat(audited.at("/vmcp/outcome").asString()).as("the audit tells what the client cannot")
			.isEqualTo("denied");
		assertThat(audited.at("/user/id").asString()).isEqualTo("bo");
		JsonNode interactive = StatelessClient
			.message(client.send(StatelessClient.request(3, "tools/call", "{\"name\":\"ask\",\"arguments\":{}}"), dev));
		assertThat(interactive.path("error").path("message").asString()).isEqualTo("Unknown tool: ask");
		JsonNode echoed = StatelessClient.message(client.send(
				StatelessClient.request(4, "tools/call", "{\"name\":\"gamma_echo\",\"arguments\":{\"text\":\"hi\"}}"),
				ops));
		assertThat(echoed.path("result").path("content").path(0).path("text").asString()).isEqualTo("gamma: hi");
	}

	private static String unknownTool(McpSyncClient client, String name) {
		McpError error = catchThrowableOfType(McpError.class,
				() -> client.callTool(new CallToolRequest(name, Map.of())));
		assertThat(error.getJsonRpcError().code()).isEqualTo(JsonRpc.INVALID_PARAMS);
		return error.getJsonRpcError().message();
	}

	private static String token(String subject, String group) {
		return issuer.tokenWith(subject, Map.of("groups", List.of(group)));
	}

	private static McpSyncClient client(String token) {
		return McpClient
			.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + pods.balancer().port())
				.endpoint("/mcp")
				.httpRequestCustomizer(
						(request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
				.build())
			.requestTimeout(Duration.ofSeconds(20))
			.build();
	}

}
