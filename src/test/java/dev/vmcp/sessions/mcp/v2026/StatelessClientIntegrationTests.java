package dev.vmcp.sessions.mcp.v2026;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.BalancedPods;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisCli;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestPod;

import static dev.vmcp.sessions.testsupport.StatelessClient.message;
import static dev.vmcp.sessions.testsupport.StatelessClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A raw 2026-07-28 client through two pods sharing one Redis, behind a balancer that
 * sends each request to the other pod, with a stateless member ({@code gamma}) and a 2025
 * member ({@code alpha}): no session for the stateless member, one caller session for the
 * 2025 one, the transport's rules, and what reaches the members.
 */
class StatelessClientIntegrationTests {

	private static RedisServerProcess redis;

	private static McpBackendServer alpha;

	private static StatelessMcpServer gamma;

	private static BalancedPods pods;

	private static StatelessClient client;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		gamma = StatelessMcpServer.start("gamma", 30_000);
		pods = BalancedPods.start(podProperties());
		client = new StatelessClient(pods.mcpUrl());
	}

	@AfterAll
	static void stop() {
		Closing.all(pods, alpha, gamma, redis);
	}

	static Map<String, Object> podProperties() {
		Map<String, Object> properties = TestPod.redisProperties(redis.port());
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[0].protocol", "2025");
		properties.put("vmcp.backends[1].name", "gamma");
		properties.put("vmcp.backends[1].url", gamma.url());
		return properties;
	}

	@Test
	void discoverNamesEveryRevisionTheMembersCapabilitiesAndTheGatewayItself() {
		for (int i = 0; i < 2; i++) {
			HttpResponse<String> response = client.send(request(1, "server/discover", "{}"));

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
			JsonNode result = message(response).path("result");
			assertThat(result.path("resultType").asString()).isEqualTo("complete");
			assertThat(result.path("supportedVersions").values().stream().map(JsonNode::asString))
				.containsExactly("2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26");
			assertThat(result.path("capabilities").path("tools").path("listChanged").asBoolean()).isTrue();
			assertThat(result.path("_meta").path("io.modelcontextprotocol/serverInfo").path("name").asString())
				.isEqualTo("vmcp-sessions");
			assertThat(result.path("instructions").asString()).contains("gamma: Use gamma statelessly.");
			assertThat(result.path("ttlMs").asLong()).isEqualTo(30_000);
			assertThat(result.path("cacheScope").asString()).isEqualTo("public");
		}
	}

	@Test
	void listsCarryResultTypeAndTheMembersCachingHintsInADeterministicOrder() {
		List<List<String>> seen = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			HttpResponse<String> response = client.send(request(2, "tools/list", "{}"));

			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode result = message(response).path("result");
			assertThat(result.path("resultType").asString()).isEqualTo("complete");
			assertThat(result.path("ttlMs").asLong()).isBetween(1L, 30_000L);
			// alpha's part came through the caller's own session
			assertThat(result.path("cacheScope").asString()).isEqualTo("private");
			seen.add(allToolNames());
		}
		assertThat(seen.get(0)).contains("gamma_echo", "add", "progress", "log");
		assertThat(seen.get(1)).isEqualTo(seen.get(0));
	}

	@Test
	void aToolCallReachesTheMemberStatelesslyWithTheClientsMetaAndMirroredHeaders() {
		int before = gamma.received("tools/call").size();
		for (int i = 0; i < 2; i++) {
			HttpResponse<String> response = client
				.send(request(3, "tools/call", "{\"name\":\"gamma_echo\",\"arguments\":{\"text\":\"hi\"},"
						+ "\"_meta\":{\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"}}"),
						Map.of("Mcp-Session-Id", "ignored-on-2026-requests-0000", "Last-Event-ID", "ignored"));

			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode answer = message(response);
			assertThat(answer.path("id").asInt()).isEqualTo(3);
			assertThat(answer.path("result").path("content").get(0).path("text").asString()).isEqualTo("gamma: hi");
		}
		List<StatelessMcpServer.Received> calls = gamma.received("tools/call");
		assertThat(calls).hasSize(before + 2);
		StatelessMcpServer.Received call = calls.get(calls.size() - 1);
		assertThat(call.header("MCP-Protocol-Version")).isEqualTo("2026-07-28");
		assertThat(call.header("Mcp-Method")).isEqualTo("tools/call");
		assertThat(call.header("Mcp-Name")).isEqualTo("echo");
		assertThat(call.header("Mcp-Session-Id")).isEmpty();
		JsonNode meta = call.body().path("params").path("_meta");
		assertThat(meta.path("io.modelcontextprotocol/clientInfo").path("name").asString()).isEqualTo("raw-2026");
		assertThat(meta.path("traceparent").asString()).startsWith("00-0af7651916cd43dd");
		assertThat(gamma.received("initialize")).isEmpty();
	}

	@Test
	void aCallToAStatelessMemberTouchesNoStore() {
		client.send(request(4, "tools/call", "{\"name\":\"add\",\"arguments\":{\"a\":1,\"b\":2}}"));
		long before = redisCommands();

		for (int i = 0; i < 10; i++) {
			HttpResponse<String> response = client
				.send(request(4, "tools/call", "{\"name\":\"add\",\"arguments\":{\"a\":1,\"b\":2}}"));
			assertThat(message(response).path("result").path("content").get(0).path("text").asString()).isEqualTo("3");
		}

		assertThat(redisCommands() - before).isZero();
	}

	@Test
	void aCallToASessionMemberCostsOneStoreRoundTripAtMost() {
		client.send(request(5, "tools/call", alphaEcho("warm", "third")));
		Map<String, Long> before = redisCalls();

		for (int i = 0; i < 10; i++) {
			HttpResponse<String> response = client.send(request(5, "tools/call", alphaEcho("round " + i, "third")));
			assertThat(message(response).path("result").path("content").get(0).path("text").asString())
				.contains("round " + i);
		}

		Map<String, Long> after = redisCalls();
		long scripts = after.getOrDefault("cmdstat_evalsha", 0L) - before.getOrDefault("cmdstat_evalsha", 0L);
		assertThat(scripts).as("script calls, one round trip each").isLessThanOrEqualTo(10);
		assertThat(after.keySet()).as("commands sent outside the session's script").isEqualTo(before.keySet());
		long commands = after.values().stream().mapToLong(Long::longValue).sum()
				- before.values().stream().mapToLong(Long::longValue).sum();
		assertThat(commands).as("the script's own commands included").isLessThanOrEqualTo(10L * 5);
	}

	@Test
	void theRequiredMetaIsInvalidParamsAndHeadersThatDoNotMatchTheBodyAreHeaderMismatch() {
		HttpResponse<String> noMeta = client.send(bodyWithoutMeta(11), Map.of());
		assertError(noMeta, 400, 11, -32602);

		HttpResponse<String> versionHeader = client.send(request(12, "server/discover", "{}"),
				Map.of("MCP-Protocol-Version", "2025-11-25"));
		assertError(versionHeader, 400, 12, -32020);

		HttpResponse<String> methodHeader = client.send(request(13, "tools/list", "{}"),
				Map.of("Mcp-Method", "prompts/list"));
		assertError(methodHeader, 400, 13, -32020);

		HttpResponse<String> nameHeader = client.send(request(14, "tools/call", "{\"name\":\"echo\"}"),
				Map.of("Mcp-Name", "add"));
		assertError(nameHeader, 400, 14, -32020);

		HttpResponse<String> missingName = client.send(request(15, "tools/call", "{\"name\":\"echo\"}"),
				Map.of("Mcp-Name", ""));
		assertError(missingName, 400, 15, -32020);
	}

	@Test
	void aNameInTheBase64FormMatchesItsBody() {
		HttpResponse<String> response = client.send(
				request(16, "tools/call", "{\"name\":\"gamma_echo\",\"arguments\":{\"text\":\"b64\"}}"),
				Map.of("Mcp-Name", "=?base64?Z2FtbWFfZWNobw==?="));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(message(response).path("result").path("content").get(0).path("text").asString())
			.isEqualTo("gamma: b64");
	}

	@Test
	void anUnsupportedVersionNamesTheSupportedOnesAndEchoesTheRequestedOne() {
		HttpResponse<String> response = client
			.send(request(17, "server/discover", "{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"v9\"}}"));

		JsonNode error = assertError(response, 400, 17, -32022);
		assertThat(error.path("data").path("requested").asString()).isEqualTo("v9");
		assertThat(error.path("data").path("supported").values().stream().map(JsonNode::asString))
			.contains("2026-07-28", "2025-11-25");
	}

	@Test
	void methodsTheRevisionRemovedAreUnknownWith404() {
		for (String removed : List.of("initialize", "ping", "logging/setLevel", "resources/subscribe", "nope/never")) {
			assertError(client.send(request(18, removed, "{}")), 404, 18, -32601);
		}
	}

	@Test
	void aMembersRefusalForAnUndeclaredCapabilityReachesTheClientWithItsStatus() {
		HttpResponse<String> refused = client.send(request(19, "tools/call", "{\"name\":\"needs_sampling\"}"));
		JsonNode error = assertError(refused, 400, 19, -32021);
		assertThat(error.path("data").path("requiredCapabilities").has("sampling")).isTrue();

		HttpResponse<String> declared = client.send(request(20, "tools/call", "{\"name\":\"needs_sampling\","
				+ "\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":{\"sampling\":{}}}}"));
		assertThat(declared.statusCode()).isEqualTo(200);
	}

	@Test
	void logMessagesFlowOnlyToARequestThatSetALevel() {
		HttpResponse<String> silent = client.send(request(21, "tools/call", "{\"name\":\"log\"}"));
		assertThat(silent.body()).doesNotContain("notifications/message").contains("logged");

		HttpResponse<String> logged = client.send(request(22, "tools/call",
				"{\"name\":\"log\",\"_meta\":{\"io.modelcontextprotocol/logLevel\":\"info\"}}"));
		assertThat(logged.body()).contains("notifications/message", "logged by gamma");
	}

	@Test
	void progressNotificationsPrecedeTheResultOnTheRequestsStream() {
		HttpResponse<String> response = client
			.send(request(23, "tools/call", "{\"name\":\"progress\",\"_meta\":{\"progressToken\":\"p-1\"}}"));

		assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
		String body = response.body();
		assertThat(body.indexOf("\"progress\":1")).isPositive();
		assertThat(body.indexOf("\"progress\":2")).isGreaterThan(body.indexOf("\"progress\":1"));
		assertThat(body.indexOf("\"done\"")).isGreaterThan(body.indexOf("\"progress\":2"));
	}

	@Test
	void aResourceNobodyServesIsInvalidParamsNamingTheUri() {
		HttpResponse<String> response = client
			.send(request(24, "resources/read", "{\"uri\":\"stateless://nobody/none\"}"));

		JsonNode error = assertError(response, 200, 24, -32602);
		assertThat(error.path("data").path("uri").asString()).isEqualTo("stateless://nobody/none");
	}

	@Test
	void aForeignOriginIsRefusedAsFor2025Clients() {
		HttpResponse<String> response = client.send(request(25, "server/discover", "{}"),
				Map.of("Origin", "https://evil.example"));

		assertThat(response.statusCode()).isEqualTo(403);
	}

	@Test
	void aMembersRequestStateReachesTheClientWrappedAndComesBackUnwrappedOnARetryAtTheOtherPod() {
		HttpResponse<String> first = client.send(request(30, "tools/call", "{\"name\":\"gamma_confirm\"}"));

		JsonNode result = message(first).path("result");
		assertThat(result.path("resultType").asString()).isEqualTo("input_required");
		assertThat(result.path("inputRequests").path("confirmation").path("method").asString())
			.isEqualTo("elicitation/create");
		String state = result.path("requestState").asString();
		assertThat(state).isNotEqualTo(StatelessMcpServer.CONFIRM_STATE)
			.doesNotContain(StatelessMcpServer.CONFIRM_STATE);

		HttpResponse<String> retry = client.send(request(31, "tools/call",
				"{\"name\":\"gamma_confirm\","
						+ "\"inputResponses\":{\"confirmation\":{\"action\":\"accept\",\"content\":{\"ok\":\"yes\"}}},"
						+ "\"requestState\":\"" + state + "\"}"));

		assertThat(message(retry).path("result").path("content").path(0).path("text").asString()).as(retry.body())
			.isEqualTo("confirmed: yes");
		List<StatelessMcpServer.Received> confirms = gamma.received("tools/call")
			.stream()
			.filter((call) -> call.body().path("params").path("name").asString().equals("confirm"))
			.toList();
		assertThat(confirms.get(confirms.size() - 1).body().path("params").path("requestState").asString())
			.isEqualTo(StatelessMcpServer.CONFIRM_STATE);
	}

	@Test
	void anAlteredStateOrOneForAnotherRequestIsRefusedAndNeverReachesTheMember() {
		String state = message(client.send(request(32, "tools/call", "{\"name\":\"gamma_confirm\"}"))).path("result")
			.path("requestState")
			.asString();
		int callsBefore = gamma.received("tools/call").size();

		HttpResponse<String> altered = client.send(request(33, "tools/call",
				"{\"name\":\"gamma_confirm\",\"inputResponses\":{},\"requestState\":\"" + state + "-TAMPERED\"}"));
		HttpResponse<String> otherTool = client.send(request(34, "tools/call",
				"{\"name\":\"gamma_echo\",\"arguments\":{},\"requestState\":\"" + state + "\"}"));
		HttpResponse<String> memberOwn = client.send(request(35, "tools/call",
				"{\"name\":\"gamma_confirm\"," + "\"requestState\":\"" + StatelessMcpServer.CONFIRM_STATE + "\"}"));

		assertError(altered, 200, 33, -32602);
		assertError(otherTool, 200, 34, -32602);
		assertError(memberOwn, 200, 35, -32602);
		assertThat(gamma.received("tools/call")).hasSize(callsBefore);
	}

	@Test
	void aSessionMemberIsReachedThroughOneCallerSessionWhateverThePodAndTheRequest() {
		assertThat(allToolNames()).contains("alpha_echo", "gamma_echo", "whoami");
		int initializesBefore = alpha.initializeCount();

		for (int i = 0; i < 6; i++) {
			HttpResponse<String> call = client.send(request(41 + i, "tools/call", alphaEcho("hop " + i, "first")));
			assertThat(message(call).path("result").path("resultType").asString()).isEqualTo("complete");
			assertThat(message(call).path("result").path("content").get(0).path("text").asString())
				.contains("hop " + i);
		}
		assertThat(alpha.initializeCount() - initializesBefore).isEqualTo(1);

		HttpResponse<String> otherCapabilities = client.send(request(50, "tools/call", alphaEcho("x", "second")));
		assertThat(message(otherCapabilities).path("result").path("content").get(0).path("text").asString())
			.contains("x");
		assertThat(alpha.initializeCount() - initializesBefore).isEqualTo(2);
	}

	/**
	 * A call of alpha's echo by a client that declares capabilities no other test does:
	 * an experimental one of that name.
	 */
	private static String alphaEcho(String text, String experiment) {
		return "{\"name\":\"alpha_echo\",\"arguments\":{\"text\":\"" + text + "\"},"
				+ "\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":{\"experimental\":{\"" + experiment
				+ "\":{}}}}}";
	}

	@Test
	void discoverDescribesASessionMemberToo() {
		JsonNode discovered = message(client.send(request(52, "server/discover", "{}"))).path("result");
		assertThat(discovered.path("capabilities").has("tools")).isTrue();
		assertThat(discovered.path("cacheScope").asString()).isEqualTo("public");
	}

	@Test
	void aListenStreamIsAcknowledgedFirstAndEndsWhenItsClientCancelsItOnTheOtherPod() throws Exception {
		StatelessClient onPodA = new StatelessClient(
				java.net.URI.create("http://127.0.0.1:" + pods.first().port() + "/mcp"));
		StatelessClient onPodB = new StatelessClient(
				java.net.URI.create("http://127.0.0.1:" + pods.second().port() + "/mcp"));
		java.util.concurrent.CompletableFuture<List<String>> lines = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> onPodA.streamLines(request("listen-1", "subscriptions/listen",
					"{\"notifications\":{\"toolsListChanged\":true,\"promptsListChanged\":true}}")));
		await().atMost(java.time.Duration.ofSeconds(10)).until(() -> onPodA.openStreams() == 1);

		HttpResponse<String> cancelled = onPodB
			.send(StatelessClient.notification("notifications/cancelled", "{\"requestId\":\"listen-1\"}"));

		assertThat(cancelled.statusCode()).isEqualTo(202);
		List<String> events = lines.get(10, java.util.concurrent.TimeUnit.SECONDS);
		JsonNode ack = StatelessClient.JSON.readTree(events.get(0));
		assertThat(ack.path("method").asString()).isEqualTo("notifications/subscriptions/acknowledged");
		assertThat(ack.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asString())
			.isEqualTo("listen-1");
		// gamma offers tools.listChanged, nobody prompts.listChanged
		assertThat(ack.path("params").path("notifications").has("toolsListChanged")).isTrue();
		assertThat(ack.path("params").path("notifications").has("promptsListChanged")).isFalse();
	}

	@Test
	void aMembersTaskIdReachesTheClientAsTheGatewaysAndRoutesItsTaskRequestsOnAnyPod() {
		String tasks = "\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":"
				+ "{\"extensions\":{\"io.modelcontextprotocol/tasks\":{}}}}";
		JsonNode handle = message(client.send(request(60, "tools/call", "{\"name\":\"slow_task\"," + tasks + "}")))
			.path("result");
		assertThat(handle.path("resultType").asString()).isEqualTo("task");
		String taskId = handle.path("taskId").asString();
		assertThat(taskId).isNotEqualTo(StatelessMcpServer.TASK_ID).doesNotContain(StatelessMcpServer.TASK_ID);

		for (int i = 0; i < 2; i++) {
			HttpResponse<String> polled = client
				.send(request(61 + i, "tasks/get", "{\"taskId\":\"" + taskId + "\"," + tasks + "}"));
			JsonNode status = message(polled).path("result");
			assertThat(status.path("status").asString()).as(polled.body()).isEqualTo("completed");
			assertThat(status.path("taskId").asString()).isEqualTo(taskId);
			assertThat(status.path("result").path("content").path(0).path("text").asString())
				.isEqualTo("task done by gamma");
		}
		StatelessMcpServer.Received get = gamma.received("tasks/get").get(0);
		assertThat(get.header("Mcp-Name")).isEqualTo(StatelessMcpServer.TASK_ID);
		assertThat(message(client.send(request(63, "tasks/cancel", "{\"taskId\":\"" + taskId + "\"," + tasks + "}")))
			.path("result")
			.path("resultType")
			.asString()).isEqualTo("complete");

		int getsBefore = gamma.received("tasks/get").size();
		assertError(client.send(request(64, "tasks/get", "{\"taskId\":\"" + taskId + "x\"}")), 200, 64, -32602);
		assertError(client.send(request(65, "tasks/get", "{\"taskId\":\"" + StatelessMcpServer.TASK_ID + "\"}")), 200,
				65, -32602);
		assertThat(gamma.received("tasks/get")).hasSize(getsBefore);
	}

	@Test
	void tasksResultAndTasksListAreUnknownMethodsAsTheTasksExtensionSays() {
		// SEP-2663 removed tasks/result (clients calling it MUST get -32601) and has no
		// tasks/list.
		String tasks = "\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":"
				+ "{\"extensions\":{\"io.modelcontextprotocol/tasks\":{}}}}";
		String taskId = message(client.send(request(66, "tools/call", "{\"name\":\"slow_task\"," + tasks + "}")))
			.path("result")
			.path("taskId")
			.asString();

		assertError(client.send(request(67, "tasks/result", "{\"taskId\":\"" + taskId + "\"," + tasks + "}")), 404, 67,
				-32601);
		assertError(client.send(request(68, "tasks/list", "{" + tasks + "}")), 404, 68, -32601);
	}

	/** Every page of the merged tool list: a page is one page of one member. */
	private static List<String> allToolNames() {
		List<String> names = new ArrayList<>();
		String cursor = null;
		do {
			String params = (cursor != null) ? "{\"cursor\":\"" + cursor + "\"}" : "{}";
			JsonNode page = message(client.send(request(99, "tools/list", params))).path("result");
			page.path("tools").forEach((tool) -> names.add(tool.path("name").asString()));
			cursor = page.has("nextCursor") ? page.path("nextCursor").asString() : null;
		}
		while (cursor != null);
		return names;
	}

	private static JsonNode assertError(HttpResponse<String> response, int status, int id, int code) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		JsonNode answer = message(response);
		assertThat(answer.path("id").asInt()).as(response.body()).isEqualTo(id);
		assertThat(answer.path("error").path("code").asInt()).as(response.body()).isEqualTo(code);
		return answer.path("error");
	}

	private static tools.jackson.databind.node.ObjectNode bodyWithoutMeta(int id) {
		tools.jackson.databind.node.ObjectNode body = request(id, "server/discover", "{}");
		((tools.jackson.databind.node.ObjectNode) body.get("params")).remove("_meta");
		return body;
	}

	/**
	 * Calls of each command Redis executed so far, but for the {@code INFO} that asks.
	 */
	private static Map<String, Long> redisCalls() {
		Map<String, Long> calls = new java.util.TreeMap<>();
		RedisCli.info(redis.port(), "commandstats").forEach((stat, value) -> {
			if (stat.startsWith("cmdstat_") && !stat.equals("cmdstat_info")) {
				calls.put(stat, Long.parseLong(value.replaceAll("^calls=(\\d+),.*$", "$1")));
			}
		});
		return calls;
	}

	/** Commands Redis executed so far, but for the {@code INFO} that asks. */
	private static long redisCommands() {
		return RedisCli.info(redis.port(), "commandstats")
			.entrySet()
			.stream()
			.filter((stat) -> stat.getKey().startsWith("cmdstat_") && !stat.getKey().equals("cmdstat_info"))
			.mapToLong((stat) -> Long.parseLong(stat.getValue().replaceAll("^calls=(\\d+),.*$", "$1")))
			.sum();
	}

}
