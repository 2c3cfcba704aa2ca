package dev.vmcp.sessions.mcp;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.InitializeResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.BalancedPods;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A 2025 client (the official Java SDK) through two pods behind a balancer that
 * alternates on every request, with a 2025 member ({@code alpha}) and a member that
 * speaks only 2026-07-28 ({@code gamma}): the stateless member is part of the session
 * without a backend session of its own, and every request reaches it in its revision.
 */
class StatelessMemberIntegrationTests {

	private static RedisServerProcess redis;

	private static McpBackendServer alpha;

	private static StatelessMcpServer gamma;

	private static BalancedPods pods;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		gamma = StatelessMcpServer.start("gamma");
		Map<String, Object> properties = TestPod.redisProperties(redis.port());
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[1].name", "gamma");
		properties.put("vmcp.backends[1].url", gamma.url());
		pods = BalancedPods.start(properties);
	}

	@AfterAll
	static void stop() {
		Closing.all(pods, alpha, gamma, redis);
	}

	@Test
	void aStatelessMemberServesA2025SessionWithoutABackendSession() {
		try (McpSyncClient client = McpClient.sync(transport())
			.capabilities(ClientCapabilities.builder().roots(true).build())
			.requestTimeout(Duration.ofSeconds(20))
			.build()) {
			InitializeResult initialized = client.initialize();
			assertThat(initialized.instructions()).contains("gamma: Use gamma statelessly.");

			List<String> tools = client.listTools().tools().stream().map(Tool::name).toList();
			// Both members have an echo: each is shown under its member's name.
			assertThat(tools).contains("alpha_echo", "gamma_echo", "add", "progress");
			assertThat(text(client.callTool(new CallToolRequest("gamma_echo", Map.of("text", "hi")))))
				.isEqualTo("gamma: hi");
			assertThat(text(client.callTool(new CallToolRequest("add", Map.of("a", 2, "b", 3))))).isEqualTo("5");
			TextResourceContents note = (TextResourceContents) client
				.readResource(new ReadResourceRequest("stateless://gamma/note"))
				.contents()
				.get(0);
			assertThat(note.text()).isEqualTo("the note of gamma");
		}

		assertThat(gamma.received("initialize")).isEmpty();
		StatelessMcpServer.Received call = gamma.received("tools/call")
			.stream()
			.filter((received) -> received.body().path("params").path("name").asString().equals("echo"))
			.findFirst()
			.orElseThrow();
		assertThat(call.header("Mcp-Session-Id")).isEmpty();
		assertThat(call.header("MCP-Protocol-Version")).isEqualTo("2026-07-28");
		assertThat(call.header("Mcp-Name")).isEqualTo("echo");
		JsonNode meta = call.body().path("params").path("_meta");
		assertThat(meta.path("io.modelcontextprotocol/protocolVersion").asString()).isEqualTo("2026-07-28");
		assertThat(meta.path("io.modelcontextprotocol/clientCapabilities").has("roots"))
			.as("the 2025 client's declared capabilities")
			.isTrue();
	}

	@Test
	void aStatelessMembersQuestionReachesA2025ClientAsARequestAndItsAnswerTheMember() {
		try (McpSyncClient client = McpClient.sync(transport())
			.capabilities(ClientCapabilities.builder().elicitation().build())
			.elicitation((request) -> new ElicitResult(ElicitResult.Action.ACCEPT, Map.of("ok", request.message())))
			.requestTimeout(Duration.ofSeconds(20))
			.build()) {
			client.initialize();

			assertThat(text(client.callTool(new CallToolRequest("gamma_confirm", Map.of()))))
				.isEqualTo("confirmed: Proceed?");
		}
	}

	@Test
	void aStatelessMembersQuestionAClientCannotAnswerEndsTheCallWithTheMissingCapabilityError() {
		try (McpSyncClient client = McpClient.sync(transport()).requestTimeout(Duration.ofSeconds(20)).build()) {
			client.initialize();

			assertThatThrownBy(() -> client.callTool(new CallToolRequest("gamma_confirm", Map.of())))
				.hasMessageContaining("backend gamma asks the client for elicitation input");
		}
	}

	@Test
	void eachPodAsksAMemberForItsRevisionOnceNotOnEveryRequest() {
		try (McpSyncClient client = McpClient.sync(transport()).requestTimeout(Duration.ofSeconds(20)).build()) {
			client.initialize();
			for (int i = 0; i < 6; i++) {
				client.callTool(new CallToolRequest("add", Map.of("a", 1, "b", i)));
			}
		}

		assertThat(gamma.received("server/discover")).hasSizeLessThanOrEqualTo(2);
	}

	private static HttpClientStreamableHttpTransport transport() {
		return HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + pods.balancer().port())
			.endpoint("/mcp")
			.build();
	}

	private static String text(CallToolResult result) {
		assertThat(result.isError()).as("tool error: %s", result.content()).isNotEqualTo(Boolean.TRUE);
		return ((TextContent) result.content().get(0)).text();
	}

}
