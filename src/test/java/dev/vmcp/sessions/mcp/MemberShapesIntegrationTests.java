package dev.vmcp.sessions.mcp;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Members shaped by configuration, the same for every caller: a 2025 member
 * ({@code alpha}) shows only the tools it allows, one of them renamed and described anew,
 * and none of its resources; a 2026-07-28 member ({@code gamma}) hides the tools it
 * denies and renames a tool and a prompt. Clients of both revisions see the shaped lists,
 * call a renamed tool by its new name (the member gets its own), and find a hidden tool
 * exactly as unknown as one that does not exist.
 */
class MemberShapesIntegrationTests {

	private static McpBackendServer alpha;

	private static StatelessMcpServer gamma;

	private static TestPod pod;

	@BeforeAll
	static void start() {
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		gamma = StatelessMcpServer.start("gamma");
		Map<String, Object> properties = new HashMap<>();
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[0].tools.allow", "echo,whoami,only-*");
		properties.put("vmcp.backends[0].tools.rename.whoami", "identify");
		properties.put("vmcp.backends[0].tools.descriptions.whoami", "Says which member answers");
		properties.put("vmcp.backends[0].resources.deny", "alpha://*");
		properties.put("vmcp.backends[1].name", "gamma");
		properties.put("vmcp.backends[1].url", gamma.url());
		properties.put("vmcp.backends[1].tools.deny", "needs_*,confirm,slow_task");
		properties.put("vmcp.backends[1].tools.rename.add", "sum");
		properties.put("vmcp.backends[1].prompts.rename.greeting", "hello");
		pod = TestPod.start(properties);
	}

	@AfterAll
	static void stop() {
		Closing.all(pod, alpha, gamma);
	}

	@Test
	void a2025ClientSeesAndCallsTheShapedLists() {
		try (McpSyncClient client = McpClient
			.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + pod.port()).endpoint("/mcp").build())
			.requestTimeout(Duration.ofSeconds(20))
			.build()) {
			client.initialize();

			List<Tool> tools = client.listTools().tools();
			assertThat(tools).extracting(Tool::name)
				.containsExactlyInAnyOrder("alpha_echo", "identify", "only-alpha", "gamma_echo", "sum", "progress",
						"log");
			assertThat(tools).filteredOn((tool) -> tool.name().equals("identify"))
				.extracting(Tool::description)
				.containsExactly("Says which member answers");
			assertThat(text(client.callTool(new CallToolRequest("identify", Map.of())))).isEqualTo("alpha");
			assertThat(text(client.callTool(new CallToolRequest("sum", Map.of("a", 2, "b", 3))))).isEqualTo("5");

			assertThat(unknownToolMessage(client, "whoami")).isEqualTo("Unknown tool: whoami");
			assertThat(unknownToolMessage(client, "needs_sampling")).isEqualTo("Unknown tool: needs_sampling");
			assertThat(unknownToolMessage(client, "no_such_tool")).isEqualTo("Unknown tool: no_such_tool");

			assertThat(client.listPrompts().prompts()).extracting(Prompt::name).contains("hello", "greet");
			assertThat(client.getPrompt(new GetPromptRequest("hello", Map.of())).messages()).isNotEmpty();
			assertThat(client.listResources().resources()).extracting(Resource::uri)
				.containsExactly("stateless://gamma/note");
			McpError hiddenRead = catchThrowableOfType(McpError.class,
					() -> client.readResource(new ReadResourceRequest("alpha://info")));
			assertThat(hiddenRead.getJsonRpcError().code()).isEqualTo(JsonRpc.RESOURCE_NOT_FOUND);
		}
		assertThat(callsOf("add")).as("gamma is called under its own name").isNotEmpty();
	}

	@Test
	void a2026ClientSeesAndCallsTheShapedLists() {
		StatelessClient client = new StatelessClient(URI.create("http://127.0.0.1:" + pod.port() + "/mcp"));
		assertThat(client.toolNames(Map.of())).containsExactlyInAnyOrder("alpha_echo", "identify", "only-alpha",
				"gamma_echo", "sum", "progress", "log");

		JsonNode sum = StatelessClient.message(client.send(
				StatelessClient.request(2, "tools/call", "{\"name\":\"sum\",\"arguments\":{\"a\":4,\"b\":5}}"),
				Map.of("Mcp-Method", "tools/call", "Mcp-Name", "sum")));
		assertThat(sum.path("result").path("content").path(0).path("text").asString()).isEqualTo("9");
		StatelessMcpServer.Received call = callsOf("add").getLast();
		assertThat(call.header("Mcp-Name")).as("the member's own name in its header too").isEqualTo("add");

		JsonNode hidden = StatelessClient
			.message(client.send(StatelessClient.request(3, "tools/call", "{\"name\":\"confirm\",\"arguments\":{}}"),
					Map.of("Mcp-Method", "tools/call", "Mcp-Name", "confirm")));
		JsonNode missing = StatelessClient
			.message(client.send(StatelessClient.request(4, "tools/call", "{\"name\":\"nothing\",\"arguments\":{}}"),
					Map.of("Mcp-Method", "tools/call", "Mcp-Name", "nothing")));
		assertThat(hidden.path("error").path("code").asInt()).isEqualTo(missing.path("error").path("code").asInt())
			.isEqualTo(JsonRpc.INVALID_PARAMS);
		assertThat(hidden.path("error").path("message").asString()).isEqualTo("Unknown tool: confirm");
		assertThat(gamma.received("tools/call"))
			.noneMatch((received) -> received.body().path("params").path("name").asString().equals("confirm"));
	}

	private static List<StatelessMcpServer.Received> callsOf(String tool) {
		return gamma.received("tools/call")
			.stream()
			.filter((received) -> received.body().path("params").path("name").asString().equals(tool))
			.toList();
	}

	private static String unknownToolMessage(McpSyncClient client, String name) {
		McpError error = catchThrowableOfType(McpError.class,
				() -> client.callTool(new CallToolRequest(name, Map.of())));
		assertThat(error.getJsonRpcError().code()).isEqualTo(JsonRpc.INVALID_PARAMS);
		return error.getJsonRpcError().message();
	}

	private static String text(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

}
