package dev.vmcp.sessions.mcp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transport's rules on {@code /mcp}, over raw HTTP: each refusal has its status and a
 * JSON-RPC error body, and a refused request harms no session.
 */
class McpProtocolRulesIntegrationTests {

	private static final String INITIALIZE = """
			{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
			"capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

	private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";

	private static final HttpClient http = HttpClient.newHttpClient();

	private static McpBackendServer alpha;

	private static TestPod pod;

	@BeforeAll
	static void start() {
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		pod = TestPod.start(Map.of("vmcp.backends[0].name", "alpha", "vmcp.backends[0].url", alpha.url(),
				"vmcp.mcp.max-request-size", "2KB"));
	}

	@AfterAll
	static void stop() {
		pod.close();
		alpha.close();
	}

	@Test
	void initializeAnswersWithASessionIdThatTheRestApiKnows() throws Exception {
		HttpResponse<String> response = post(INITIALIZE, null);

		assertThat(response.statusCode()).isEqualTo(200);
		String sessionId = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
		assertThat(response.body()).contains("\"protocolVersion\":\"2025-06-18\"", "\"name\":\"vmcp-sessions\"");
		HttpResponse<String> rest = send(HttpRequest.newBuilder(uri("/api/v1/sessions/" + sessionId)).GET());
		assertThat(rest.statusCode()).isEqualTo(200);
		assertThat(rest.body()).contains("\"name\":\"alpha\"", "\"state\":\"connected\"");
	}

	@Test
	void aRequestWithoutSessionOtherThanInitializeIs400() throws Exception {
		HttpResponse<String> response = post(PING, null);

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"code\":-32600", "Mcp-Session-Id");
	}

	@Test
	void unknownMalformedAndTerminatedSessionsAre404() throws Exception {
		assertThat(post(PING, "unknown-session-id-0123456789").statusCode()).isEqualTo(404);
		assertThat(post(PING, "not a session id").statusCode()).isEqualTo(404);
		String sessionId = initialize();
		assertThat(send(HttpRequest.newBuilder(uri("/api/v1/sessions/" + sessionId)).DELETE()).statusCode())
			.isEqualTo(204);

		HttpResponse<String> afterRestDelete = post(PING, sessionId);

		assertThat(afterRestDelete.statusCode()).isEqualTo(404);
		assertThat(afterRestDelete.body()).contains("\"code\":-32001");
	}

	@Test
	void deleteOnMcpEndsTheSessionLikeTheRestDelete() throws Exception {
		String sessionId = initialize();

		HttpResponse<String> deleted = send(mcp().header("Mcp-Session-Id", sessionId).DELETE());

		assertThat(deleted.statusCode()).isEqualTo(200);
		assertThat(post(PING, sessionId).statusCode()).isEqualTo(404);
		assertThat(send(HttpRequest.newBuilder(uri("/api/v1/sessions/" + sessionId)).GET()).statusCode())
			.isEqualTo(404);
	}

	@Test
	void anUnsupportedProtocolVersionIs400AndAMissingOneIsAccepted() throws Exception {
		String sessionId = initialize();

		HttpResponse<String> unsupported = send(mcp().header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("Mcp-Session-Id", sessionId)
			.header("MCP-Protocol-Version", "1999-01-01")
			.POST(HttpRequest.BodyPublishers.ofString(PING)));

		assertThat(unsupported.statusCode()).isEqualTo(400);
		assertThat(unsupported.body()).contains("1999-01-01");
		assertThat(post(PING, sessionId).statusCode()).isEqualTo(200);
	}

	@Test
	void notificationsAndResponsesAre202() throws Exception {
		String sessionId = initialize();

		assertThat(post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", sessionId).statusCode())
			.isEqualTo(202);
		assertThat(post("{\"jsonrpc\":\"2.0\",\"id\":\"alpha/7\",\"result\":{}}", sessionId).statusCode())
			.isEqualTo(202);
	}

	@Test
	void jsonRpcErrorsCarryTheirCodes() throws Exception {
		String sessionId = initialize();

		HttpResponse<String> notJson = post("{not json", sessionId);
		assertThat(notJson.statusCode()).isEqualTo(400);
		assertThat(notJson.body()).contains("\"code\":-32700");
		HttpResponse<String> notJsonRpc = post("{\"hello\":1}", sessionId);
		assertThat(notJsonRpc.statusCode()).isEqualTo(400);
		assertThat(notJsonRpc.body()).contains("\"code\":-32600");
		HttpResponse<String> unknownMethod = post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"nope/never\"}",
				sessionId);
		assertThat(unknownMethod.statusCode()).isEqualTo(200);
		assertThat(unknownMethod.body()).contains("\"id\":5", "\"code\":-32601");
		HttpResponse<String> missingName = post(
				"{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{}}", sessionId);
		assertThat(missingName.body()).contains("\"id\":6", "\"code\":-32602");
		HttpResponse<String> badCursor = post(
				"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{\"cursor\":\"!!\"}}", sessionId);
		assertThat(badCursor.body()).contains("\"id\":7", "\"code\":-32602");
		assertThat(post(PING, sessionId).statusCode()).isEqualTo(200);
	}

	@Test
	void idsThatAreNeitherStringsNorIntegersAndNumericMethodsAreInvalidRequests() throws Exception {
		String sessionId = initialize();

		for (String malformed : new String[] { "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}",
				"{\"jsonrpc\":\"2.0\",\"id\":1e999999,\"method\":\"ping\"}",
				"{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
				"{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
				"{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":42}" }) {
			HttpResponse<String> refused = post(malformed, sessionId);

			assertThat(refused.statusCode()).as(malformed).isEqualTo(400);
			assertThat(refused.body()).as(malformed).contains("\"code\":-32600", "\"id\":null");
		}
		HttpResponse<String> hugeInteger = post(
				"{\"jsonrpc\":\"2.0\",\"id\":123456789012345678901234567890," + "\"method\":\"ping\"}", sessionId);
		assertThat(hugeInteger.statusCode()).isEqualTo(200);
		assertThat(hugeInteger.body()).contains("\"id\":123456789012345678901234567890");
	}

	@Test
	void acceptMustAllowWhatIsAnswered() throws Exception {
		String sessionId = initialize();

		HttpResponse<String> html = send(mcp().header("Content-Type", "application/json")
			.header("Accept", "text/html")
			.header("Mcp-Session-Id", sessionId)
			.POST(HttpRequest.BodyPublishers.ofString(PING)));
		HttpResponse<String> sseOnly = send(mcp().header("Content-Type", "application/json")
			.header("Accept", "text/event-stream")
			.header("Mcp-Session-Id", sessionId)
			.POST(HttpRequest.BodyPublishers.ofString(PING)));

		assertThat(html.statusCode()).isEqualTo(406);
		assertThat(sseOnly.statusCode()).isEqualTo(200);
		assertThat(sseOnly.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
		assertThat(sseOnly.body()).contains("data: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}");
	}

	@Test
	void aBodyOverTheLimitIs413AndAWrongContentTypeIs415() throws Exception {
		String sessionId = initialize();
		String large = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(4096)
				+ "\"}}";

		assertThat(post(large, sessionId).statusCode()).isEqualTo(413);
		assertThat(send(mcp().header("Content-Type", "text/plain")
			.header("Mcp-Session-Id", sessionId)
			.POST(HttpRequest.BodyPublishers.ofString(PING))).statusCode()).isEqualTo(415);
		assertThat(post(PING, sessionId).statusCode()).isEqualTo(200);
	}

	@Test
	void aForeignHostOrOriginIs403BeforeAnythingElse() throws Exception {
		HttpResponse<String> foreignOrigin = send(mcp().header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("Origin", "http://evil.example")
			.POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)));
		HttpResponse<String> localOrigin = send(mcp().header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("Origin", "http://localhost:6274")
			.POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)));

		assertThat(foreignOrigin.statusCode()).isEqualTo(403);
		assertThat(foreignOrigin.headers().firstValue("Mcp-Session-Id")).isEmpty();
		assertThat(localOrigin.statusCode()).isEqualTo(200);
		HostOriginGuard guard = new HostOriginGuard(java.util.List.of("localhost", "[::1]"),
				java.util.List.of("https://app.example"));
		assertThat(guard.hostAllowed("localhost:8080")).isTrue();
		assertThat(guard.hostAllowed("[::1]:8080")).isTrue();
		assertThat(guard.hostAllowed("attacker.example")).isFalse();
		assertThat(guard.originAllowed("https://app.example:8443")).isTrue();
		assertThat(guard.originAllowed("http://app.example")).isFalse();
	}

	@Test
	void listsOfAGatewayWithoutBackendsAreEmptyNotErrors() throws Exception {
		try (TestPod bare = TestPod.start(Map.of())) {
			URI endpoint = URI.create("http://127.0.0.1:" + bare.port() + "/mcp");
			HttpResponse<String> initialized = send(HttpRequest.newBuilder(endpoint)
				.header("Content-Type", "application/json")
				.header("Accept", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)));
			String sessionId = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();

			HttpResponse<String> tools = send(HttpRequest.newBuilder(endpoint)
				.header("Content-Type", "application/json")
				.header("Accept", "application/json")
				.header("Mcp-Session-Id", sessionId)
				.POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}")));

			assertThat(tools.statusCode()).isEqualTo(200);
			assertThat(tools.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"tools\":[]}}");
		}
	}

	private static String initialize() throws Exception {
		HttpResponse<String> response = post(INITIALIZE, null);
		assertThat(response.statusCode()).isEqualTo(200);
		return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
	}

	private static HttpResponse<String> post(String body, String sessionId) throws Exception {
		HttpRequest.Builder request = mcp().header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (sessionId != null) {
			request.header("Mcp-Session-Id", sessionId);
		}
		return send(request);
	}

	private static HttpRequest.Builder mcp() {
		return HttpRequest.newBuilder(uri("/mcp"));
	}

	private static URI uri(String path) {
		return URI.create("http://127.0.0.1:" + pod.port() + path);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
