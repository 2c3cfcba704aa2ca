package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

/**
 * Drives {@link McpBackendServer} with a plain {@link HttpClient}, the way the session
 * service talks to its MCP backends.
 */
@Timeout(20)
class McpBackendServerIntegrationTests {

	private static final String MCP_SESSION_ID = "Mcp-Session-Id";

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

	private final HttpClient httpClient = newHttpClient();

	private final AtomicInteger nextRequestId = new AtomicInteger(1);

	private McpBackendServer server;

	@AfterEach
	void closeServer() {
		if (this.server != null) {
			this.server.close();
		}
		this.httpClient.close();
	}

	@ParameterizedTest
	@EnumSource(ResponseMode.class)
	void initializeCreatesSessionAndAnswersInTheConfiguredMode(ResponseMode mode) throws Exception {
		this.server = McpBackendServer.start("backend-" + mode, mode);
		HttpResponse<String> response = send(initializeRequest("2025-06-18"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(contentType(response)).startsWith(expectedContentType(mode));
		assertThat(sessionId(response)).isNotBlank();
		Map<String, Object> result = result(response, mode);
		assertThat(result).containsEntry("protocolVersion", "2025-06-18");
		assertThat(result).extractingByKey("serverInfo").asInstanceOf(MAP).containsEntry("name", "backend-" + mode);
		assertThat(this.server.initializeCount()).isEqualTo(1);
		assertThat(this.server.liveSessionIds()).containsExactly(sessionId(response));
	}

	@ParameterizedTest
	@EnumSource(ResponseMode.class)
	void pingAndToolsListWorkInsideTheSessionInTheConfiguredMode(ResponseMode mode) throws Exception {
		this.server = McpBackendServer.start("backend", mode);
		String sessionId = initializeSession();
		HttpResponse<String> ping = send(pingRequest(sessionId));
		assertThat(ping.statusCode()).isEqualTo(200);
		assertThat(contentType(ping)).startsWith(expectedContentType(mode));
		assertThat(result(ping, mode)).isEmpty();
		HttpResponse<String> toolsList = send(post(sessionId, request("tools/list", "{}")));
		assertThat(toolsList.statusCode()).isEqualTo(200);
		assertThat(result(toolsList, mode)).extractingByKey("tools").asString().contains("name=echo");
		assertThat(this.server.requestCount(sessionId)).isEqualTo(3);
	}

	@ParameterizedTest
	@EnumSource(ResponseMode.class)
	void forgottenSessionIsAnswered404(ResponseMode mode) throws Exception {
		this.server = McpBackendServer.start("backend", mode);
		String forgotten = initializeSession();
		String kept = initializeSession();
		this.server.forgetSession(forgotten);
		HttpResponse<String> ping = send(pingRequest(forgotten));
		assertThatIsSessionNotFound(ping);
		assertThat(send(pingRequest(kept)).statusCode()).isEqualTo(200);
		assertThat(this.server.liveSessionIds()).containsExactly(kept);
		assertThat(this.server.deleteCount()).isZero();
		this.server.forgetAllSessions();
		assertThat(send(pingRequest(kept)).statusCode()).isEqualTo(404);
		assertThat(this.server.liveSessionIds()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(ResponseMode.class)
	void deleteEndsTheSessionAndIsCounted(ResponseMode mode) throws Exception {
		this.server = McpBackendServer.start("backend", mode);
		String sessionId = initializeSession();
		HttpResponse<String> delete = send(withSession(HttpRequest.newBuilder(this.server.url()), sessionId).DELETE());
		assertThat(delete.statusCode()).isEqualTo(200);
		assertThat(this.server.deleteCount()).isEqualTo(1);
		assertThat(this.server.deletedSessionIds()).containsExactly(sessionId);
		assertThat(this.server.liveSessionIds()).isEmpty();
		assertThat(send(pingRequest(sessionId)).statusCode()).isEqualTo(404);
	}

	@ParameterizedTest
	@EnumSource(ResponseMode.class)
	void unknownSessionIsAnswered404WithJsonRpcError(ResponseMode mode) throws Exception {
		this.server = McpBackendServer.start("backend", mode);
		HttpResponse<String> ping = send(pingRequest("no-such-session"));
		assertThatIsSessionNotFound(ping);
		assertThat(jsonObject(ping.body())).containsEntry("id", this.nextRequestId.get() - 1);
		HttpResponse<String> delete = send(
				withSession(HttpRequest.newBuilder(this.server.url()), "no-such-session").DELETE());
		assertThatIsSessionNotFound(delete);
		assertThat(this.server.requestCount("no-such-session")).isEqualTo(1);
		assertThat(this.server.deletedSessionIds()).containsExactly("no-such-session");
	}

	@Test
	void echoToolAnswersToolsCall() throws Exception {
		this.server = McpBackendServer.start("backend", ResponseMode.JSON);
		String sessionId = initializeSession();
		HttpResponse<String> call = send(
				post(sessionId, request("tools/call", "{\"name\":\"echo\",\"arguments\":{\"text\":\"hi\"}}")));
		assertThat(result(call, ResponseMode.JSON)).extractingByKey("content").asString().contains("text=hi");
	}

	@ParameterizedTest
	@CsvSource({ "2025-03-26, 2025-03-26", "2025-06-18, 2025-06-18", "2025-11-25, 2025-11-25",
			"2024-11-05, 2025-11-25" })
	void negotiatesProtocolVersion(String requested, String granted) throws Exception {
		this.server = McpBackendServer.start("backend", ResponseMode.JSON);
		HttpResponse<String> response = send(initializeRequest(requested));
		assertThat(result(response, ResponseMode.JSON)).containsEntry("protocolVersion", granted);
	}

	@Test
	void stopRefusesConnectionsAndRestartListensOnTheSameUrlWithoutOldSessions() throws Exception {
		this.server = McpBackendServer.start("backend", ResponseMode.SSE);
		URI url = this.server.url();
		String sessionBeforeStop = initializeSession();
		this.server.stop();
		assertThat(this.server.liveSessionIds()).isEmpty();
		try (HttpClient freshClient = newHttpClient()) {
			assertThatExceptionOfType(ConnectException.class)
				.isThrownBy(() -> freshClient.send(pingRequest(sessionBeforeStop), BodyHandlers.ofString()));
		}
		this.server.restart();
		assertThat(this.server.url()).isEqualTo(url);
		assertThat(send(pingRequest(sessionBeforeStop)).statusCode()).isEqualTo(404);
		String sessionAfterRestart = initializeSession();
		assertThat(send(pingRequest(sessionAfterRestart)).statusCode()).isEqualTo(200);
		assertThat(this.server.initializeCount()).isEqualTo(2);
		assertThat(this.server.requestCount(sessionBeforeStop)).isEqualTo(2);
	}

	@ParameterizedTest
	@EnumSource(ResponseMode.class)
	void hangBlocksRequestsUntilReleased(ResponseMode mode) throws Exception {
		this.server = McpBackendServer.start("backend", mode);
		String sessionId = initializeSession();
		this.server.hang(true);
		HttpRequest shortPing = post(sessionId, request("ping", null)).timeout(Duration.ofMillis(500)).build();
		assertThatExceptionOfType(HttpTimeoutException.class)
			.isThrownBy(() -> this.httpClient.send(shortPing, BodyHandlers.ofString()));
		assertThat(this.server.requestCount(sessionId)).isEqualTo(2);
		this.server.hang(false);
		assertThat(send(pingRequest(sessionId)).statusCode()).isEqualTo(200);
		assertThat(this.server.liveSessionIds()).containsExactly(sessionId);
	}

	@Test
	void closeReleasesHangingRequests() throws Exception {
		this.server = McpBackendServer.start("backend", ResponseMode.SSE);
		String sessionId = initializeSession();
		this.server.hang(true);
		var pendingPing = this.httpClient.sendAsync(pingRequest(sessionId), BodyHandlers.ofString());
		awaitRequestCount(sessionId, 2);
		this.server.close();
		// Released, the request ends one way or the other: answered, or its connection
		// closed by the stopping server. What matters is that it does not hang.
		assertThat(pendingPing.handle((response, failure) -> true)).succeedsWithin(REQUEST_TIMEOUT);
	}

	private String initializeSession() throws IOException, InterruptedException {
		HttpResponse<String> initialize = send(initializeRequest("2025-06-18"));
		assertThat(initialize.statusCode()).isEqualTo(200);
		String sessionId = sessionId(initialize);
		HttpResponse<String> initialized = send(post(sessionId, notification("notifications/initialized")));
		assertThat(initialized.statusCode()).isEqualTo(202);
		return sessionId;
	}

	private HttpRequest initializeRequest(String protocolVersion) {
		String params = """
				{"protocolVersion":"%s","capabilities":{},"clientInfo":{"name":"test-client","version":"1.0"}}"""
			.formatted(protocolVersion);
		return post(null, request("initialize", params)).build();
	}

	private HttpRequest pingRequest(String sessionId) {
		return post(sessionId, request("ping", null)).build();
	}

	private HttpRequest.Builder post(String sessionId, String jsonRpc) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(this.server.url())
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(BodyPublishers.ofString(jsonRpc));
		return (sessionId != null) ? withSession(builder, sessionId).header("MCP-Protocol-Version", "2025-06-18")
				: builder;
	}

	private HttpRequest.Builder withSession(HttpRequest.Builder builder, String sessionId) {
		return builder.header(MCP_SESSION_ID, sessionId).timeout(REQUEST_TIMEOUT);
	}

	private String request(String method, String params) {
		String paramsMember = (params != null) ? ",\"params\":" + params : "";
		return "{\"jsonrpc\":\"2.0\",\"id\":" + this.nextRequestId.getAndIncrement() + ",\"method\":\"" + method + "\""
				+ paramsMember + "}";
	}

	private static String notification(String method) {
		return "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\"}";
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.httpClient.send(request, BodyHandlers.ofString());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return send(request.build());
	}

	private void awaitRequestCount(String sessionId, int count) throws InterruptedException {
		long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
		while (this.server.requestCount(sessionId) < count && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
	}

	private static HttpClient newHttpClient() {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
	}

	private static String expectedContentType(ResponseMode mode) {
		return (mode == ResponseMode.JSON) ? "application/json" : "text/event-stream";
	}

	private static String contentType(HttpResponse<?> response) {
		return response.headers().firstValue("Content-Type").orElse("");
	}

	private static String sessionId(HttpResponse<?> response) {
		return response.headers().firstValue(MCP_SESSION_ID).orElseThrow();
	}

	private static void assertThatIsSessionNotFound(HttpResponse<String> response) throws IOException {
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(contentType(response)).startsWith("application/json");
		Map<String, Object> message = jsonObject(response.body());
		assertThat(message).containsEntry("jsonrpc", "2.0").containsKey("id");
		assertThat(message).extractingByKey("error").asInstanceOf(MAP).containsEntry("code", -32001);
	}

	private static Map<String, Object> result(HttpResponse<String> response, ResponseMode mode) throws IOException {
		String json = (mode == ResponseMode.JSON) ? response.body() : singleSseEventData(response.body());
		Map<String, Object> message = jsonObject(json);
		assertThat(message).containsEntry("jsonrpc", "2.0").containsKey("result");
		@SuppressWarnings("unchecked")
		Map<String, Object> result = (Map<String, Object>) message.get("result");
		return result;
	}

	private static Map<String, Object> jsonObject(String json) throws IOException {
		return JSON.readValue(json, new TypeRef<Map<String, Object>>() {
		});
	}

	private static String singleSseEventData(String eventStream) {
		assertThat(eventStream).contains("event: message\n").endsWith("\n\n");
		return eventStream.lines()
			.filter((line) -> line.startsWith("data:"))
			.map((line) -> line.substring("data:".length()).strip())
			.reduce((first, second) -> first + "\n" + second)
			.orElseThrow();
	}

}
