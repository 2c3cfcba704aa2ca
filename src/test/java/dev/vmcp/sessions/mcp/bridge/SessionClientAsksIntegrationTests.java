package dev.vmcp.sessions.mcp.bridge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.conformance.ConformanceReport;
import dev.vmcp.sessions.conformance.ConformanceSuite;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.NodeClient;
import dev.vmcp.sessions.testsupport.NodeMember;
import dev.vmcp.sessions.testsupport.RawMcpClient;
import dev.vmcp.sessions.testsupport.RedisCli;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.RoundRobinBalancer;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * 2025 clients and 2026-07-28 members that ask them things during their calls
 * ({@code InputRequiredResult}), through two pods sharing one Redis behind a balancer
 * that alternates on every request: each question reaches the client as a request on the
 * call's stream, the client's answer, posted to whichever pod, reaches the pod that holds
 * the call through the store, and the member gets the call again with the answers and its
 * own state, round after round. The members are the TypeScript SDK v2 one
 * ({@code modern}) and a Java one ({@code gamma}); the clients the TypeScript SDK v2
 * client in its 2025 mode, the conformance suite's (TypeScript SDK v1), the Java SDK
 * client and a raw one.
 */
class SessionClientAsksIntegrationTests {

	private static final NodeClient SDK_CLIENT = new NodeClient("clients/sdk-client.mjs", Duration.ofSeconds(90));

	private static final Duration INPUT_WAIT = Duration.ofSeconds(5);

	private static final Duration KEEP_ALIVE = Duration.ofMillis(250);

	private static final String ELICITATION = "{\"elicitation\":{}}";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static RedisServerProcess redis;

	private static NodeMember modern;

	private static StatelessMcpServer gamma;

	private static TestPod podA;

	private static TestPod podB;

	private static RoundRobinBalancer balancer;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		modern = NodeMember.start("members/stateless-member.mjs");
		gamma = StatelessMcpServer.start("gamma");
		podA = TestPod.start(podProperties());
		podB = TestPod.start(podProperties());
		balancer = RoundRobinBalancer.start(List.of(podA.port(), podB.port()));
	}

	static Map<String, Object> podProperties() {
		Map<String, Object> properties = TestPod.redisProperties(redis.port());
		properties.put("vmcp.backends[0].name", "modern");
		properties.put("vmcp.backends[0].url", modern.url());
		properties.put("vmcp.backends[1].name", "gamma");
		properties.put("vmcp.backends[1].url", gamma.url());
		properties.put("vmcp.mcp.input-wait", INPUT_WAIT.toMillis() + "ms");
		properties.put("vmcp.mcp.keep-alive-interval", KEEP_ALIVE.toMillis() + "ms");
		return properties;
	}

	@AfterAll
	static void stop() {
		Closing.all(balancer, podA, podB, modern, gamma, redis);
	}

	@AfterEach
	void nothingParkedStaysInRedis() {
		await().atMost(INPUT_WAIT.plusSeconds(5)).untilAsserted(() -> assertThat(parkedKeys()).isEmpty());
	}

	@Test
	void theSdkClientAnswersTwoRoundsOnAlternatingPodsAndGetsTheResultOnTheCallsStream() {
		int forwardedBefore = balancer.forwarded().size();

		JsonNode outcome = sdkClient("multi_round");

		assertThat(outcome.path("text").asString()).isEqualTo("Multi-round complete: Ada likes green");
		assertThat(outcome.path("rounds").asInt()).as("one tools/call: the rounds are the gateway's").isEqualTo(1);
		assertThat(outcome.path("asked").values().stream().map(JsonNode::asString))
			.containsExactly("elicitation/create", "elicitation/create");
		List<RoundRobinBalancer.Forwarded> exchange = balancer.forwarded()
			.subList(forwardedBefore, balancer.forwarded().size());
		int callPod = exchange.stream()
			.filter((forwarded) -> forwarded.body().contains("test_input_required_result_multi_round"))
			.findFirst()
			.orElseThrow()
			.podPort();
		Set<Integer> answerPods = exchange.stream()
			.filter((forwarded) -> forwarded.body().contains("\"id\":\"~"))
			.map(RoundRobinBalancer.Forwarded::podPort)
			.collect(Collectors.toSet());
		assertThat(answerPods).as("an answer reached the pod that does not hold the call")
			.contains((callPod == podA.port()) ? podB.port() : podA.port());
	}

	@Test
	void aSamplingRoundReachesTheSdkClient() {
		JsonNode outcome = sdkClient("mrtr_sampling");

		assertThat(outcome.path("text").asString()).isEqualTo("Sampling response: 4");
		assertThat(outcome.path("asked").values().stream().map(JsonNode::asString))
			.containsExactly("sampling/createMessage");
	}

	@Test
	void aRootsRoundReachesTheSdkClient() {
		JsonNode outcome = sdkClient("mrtr_roots");

		assertThat(outcome.path("text").asString()).isEqualTo("Client exposed 1 root(s): file:///work/ada");
	}

	@Test
	void threeQuestionsOfOneRoundAreAnsweredBeforeTheMemberIsAskedAgain() {
		JsonNode outcome = sdkClient("mrtr_inputs");

		assertThat(outcome.path("text").asString()).isEqualTo("4 Ada: 1 root(s) visible");
		assertThat(outcome.path("asked").values().stream().map(JsonNode::asString))
			.containsExactlyInAnyOrder("elicitation/create", "sampling/createMessage", "roots/list");
	}

	@Test
	void theConformanceSuitesSamplingAndElicitationScenariosPassAgainstA2026MemberThroughTwoPods() {
		for (String scenario : List.of("tools-call-sampling", "tools-call-elicitation")) {
			ConformanceReport report = ConformanceSuite.installed()
				.scenario(scenario)
				.withTimeout(Duration.ofMinutes(2))
				.run(balancer.mcpUrl());

			// Each scenario fails when its client was not asked.
			assertThat(report.allPassed()).as(report::describeFailures).isTrue();
			assertThat(report.passedScenarioNames()).containsExactly(scenario);
		}
	}

	@Test
	void theJavaSdkClientConfirmsAndTheMemberGetsTheAnswerWithItsOwnState() {
		int callsBefore = gamma.received("tools/call").size();
		try (McpSyncClient client = McpClient.sync(transport())
			.capabilities(ClientCapabilities.builder().elicitation().build())
			.elicitation((request) -> new ElicitResult(ElicitResult.Action.ACCEPT, Map.of("ok", "yes")))
			.requestTimeout(Duration.ofSeconds(20))
			.build()) {
			client.initialize();

			CallToolResult result = client.callTool(new CallToolRequest("confirm", Map.of()));

			assertThat(((TextContent) result.content().get(0)).text()).isEqualTo("confirmed: yes");
		}
		List<StatelessMcpServer.Received> calls = gamma.received("tools/call")
			.subList(callsBefore, gamma.received("tools/call").size());
		assertThat(calls).hasSize(2);
		JsonNode retry = calls.get(1).body();
		assertThat(retry.path("params").path("requestState").asString()).isEqualTo(StatelessMcpServer.CONFIRM_STATE);
		assertThat(retry.path("params").path("inputResponses").path("confirmation").path("action").asString())
			.isEqualTo("accept");
		assertThat(retry.path("id")).as("a retry is a request of its own").isNotEqualTo(calls.get(0).body().get("id"));
		assertThat(calls.get(1).header("Mcp-Name")).isEqualTo("confirm");
	}

	@Test
	void aClientThatDidNotDeclareElicitationIsNotAskedAndTheCallEndsWithTheMissingCapabilityError() {
		try (McpSyncClient client = McpClient.sync(transport())
			.capabilities(ClientCapabilities.builder().sampling().build())
			.sampling((request) -> {
				throw new IllegalStateException("not asked for sampling");
			})
			.requestTimeout(Duration.ofSeconds(20))
			.build()) {
			client.initialize();

			assertThatThrownBy(() -> client.callTool(new CallToolRequest("confirm", Map.of())))
				.isInstanceOfSatisfying(McpError.class, (error) -> {
					assertThat(error.getJsonRpcError().code()).isEqualTo(-32021);
					assertThat(error.getJsonRpcError().message()).contains("elicitation", "did not declare");
				});
		}
	}

	@Test
	void anAnswerPostedToTheOtherPodReachesThePodThatHoldsTheCall() {
		RawMcpClient client = new RawMcpClient();
		client.initialize(podA.port(), ELICITATION);
		RawMcpClient.OpenStream call = client.postOpen(podA.port(), callConfirm("c-1"));
		JsonNode question = await().atMost(Duration.ofSeconds(10))
			.until(() -> firstRequest(call), (found) -> found != null);
		assertThat(question.path("method").asString()).isEqualTo("elicitation/create");

		int status = client
			.post(podB.port(),
					"{\"jsonrpc\":\"2.0\",\"id\":" + question.get("id")
							+ ",\"result\":{\"action\":\"accept\",\"content\":{\"ok\":\"across pods\"}}}")
			.statusCode();

		assertThat(status).isEqualTo(202);
		await().atMost(Duration.ofSeconds(10)).until(call::hasEnded);
		JsonNode answer = last(call);
		assertThat(answer.path("id").asString()).isEqualTo("c-1");
		assertThat(answer.path("result").path("content").path(0).path("text").asString())
			.isEqualTo("confirmed: across pods");
	}

	@Test
	void anAnswerThatNeverComesEndsTheCallWithinTheInputWaitAndSaysSo() {
		RawMcpClient client = new RawMcpClient();
		client.initialize(podB.port(), ELICITATION);
		RawMcpClient.OpenStream call = client.postOpen(podB.port(), callConfirm("never-answered"));

		await().atMost(INPUT_WAIT.plusSeconds(10)).until(call::hasEnded);

		assertThat(firstRequest(call)).isNotNull();
		JsonNode ended = last(call);
		assertThat(ended.path("id").asString()).isEqualTo("never-answered");
		assertThat(ended.path("error").path("message").asString())
			.contains("did not answer backend gamma's elicitation/create within 5000 ms");
	}

	@Test
	void aClientThatGoesAwayWhileAskedMayComeBackUntilTheInputWaitEndsTheCall() throws IOException {
		RawMcpClient client = new RawMcpClient();
		String session = client.initialize(podA.port(), ELICITATION);
		byte[] body = callConfirm("gone").getBytes(StandardCharsets.UTF_8);
		try (Socket socket = new Socket("127.0.0.1", podA.port())) {
			socket.getOutputStream()
				.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + podA.port()
						+ "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
						+ "Mcp-Session-Id: " + session + "\r\nContent-Length: " + body.length + "\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().write(body);
			BufferedReader answer = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = answer.readLine()) != null && !line.contains("elicitation/create")) {
				// the headers, up to the question
			}
			assertThat(line).as("the question").isNotNull();
			assertThat(parkedKeys()).as("the call waits in the store").hasSize(1);
		}

		// A 2025 stream can be resumed (Last-Event-ID): its call waits for the client.
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(parkedKeys()).hasSize(1));
		await().atMost(INPUT_WAIT.plusSeconds(5)).untilAsserted(() -> assertThat(parkedKeys()).isEmpty());
	}

	@Test
	void aPodThatStopsWhileACallWaitsForItsClientEndsTheCallAtOnceAndSaysSo() {
		RawMcpClient client = new RawMcpClient();
		client.initialize(podA.port(), ELICITATION);
		TestPod holder = TestPod.start(podProperties());
		RawMcpClient.OpenStream call;
		try {
			call = client.postOpen(holder.port(), callConfirm("held"));
			await().atMost(Duration.ofSeconds(10)).until(() -> firstRequest(call), (found) -> found != null);
		}
		finally {
			holder.close();
		}

		await().atMost(Duration.ofSeconds(5)).until(call::hasEnded);
		JsonNode ended = last(call);
		assertThat(ended.path("id").asString()).isEqualTo("held");
		assertThat(ended.path("error").path("code").asInt()).isEqualTo(-32010);
		assertThat(ended.path("error").path("message").asString()).contains("stops: the call is lost; send it again");
		JsonNode next = JSON.readTree(
				client
					.post(podB.port(),
							"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
									+ "{\"name\":\"gamma_echo\",\"arguments\":{\"text\":\"still here\"}}}")
					.body());
		assertThat(next.path("result").path("content").path(0).path("text").asString()).isEqualTo("gamma: still here");
	}

	@Test
	void aClientThatAnswersWithAnErrorEndsTheCallWithAnErrorThatSaysSo() {
		RawMcpClient client = new RawMcpClient();
		client.initialize(podA.port(), ELICITATION);
		RawMcpClient.OpenStream call = client.postOpen(podA.port(), callConfirm("refused"));
		JsonNode question = await().atMost(Duration.ofSeconds(10))
			.until(() -> firstRequest(call), (found) -> found != null);

		client.post(podB.port(), "{\"jsonrpc\":\"2.0\",\"id\":" + question.get("id")
				+ ",\"error\":{\"code\":-1,\"message\":\"User rejected the request\"}}");

		await().atMost(Duration.ofSeconds(10)).until(call::hasEnded);
		JsonNode ended = last(call);
		assertThat(ended.path("error").path("message").asString())
			.contains("answered backend gamma's elicitation/create with an error: User rejected the request");
		assertThat(ended.path("error").path("data").path("error").path("code").asInt()).isEqualTo(-1);
	}

	private static String callConfirm(String id) {
		return "{\"jsonrpc\":\"2.0\",\"id\":\"" + id
				+ "\",\"method\":\"tools/call\",\"params\":{\"name\":\"confirm\"}}";
	}

	private static JsonNode sdkClient(String scenario) {
		NodeClient.Run run = SDK_CLIENT.run(balancer.mcpUrl(), "legacy", scenario);
		assertThat(run.exitCode()).as(run::toString).isZero();
		assertThat(run.outcome().path("protocolVersion").asString()).as(run::toString).startsWith("2025-");
		return run.outcome();
	}

	private static HttpClientStreamableHttpTransport transport() {
		return HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + balancer.port())
			.endpoint("/mcp")
			.build();
	}

	/** The messages of a stream so far. */
	private static List<JsonNode> messages(RawMcpClient.OpenStream stream) {
		return stream.lines()
			.stream()
			.filter((line) -> line.startsWith("data:") && line.length() > 5)
			.map((line) -> JSON.readTree(line.substring(5).strip()))
			.toList();
	}

	private static JsonNode firstRequest(RawMcpClient.OpenStream stream) {
		return messages(stream).stream()
			.filter((message) -> message.has("method") && message.has("id"))
			.findFirst()
			.orElse(null);
	}

	private static JsonNode last(RawMcpClient.OpenStream stream) {
		List<JsonNode> messages = messages(stream);
		assertThat(messages).as("messages of the call").isNotEmpty();
		return messages.get(messages.size() - 1);
	}

	private static List<String> parkedKeys() {
		String keys = RedisCli.command(redis.port(), "KEYS", "vmcp:session:parked:*").strip();
		return keys.isEmpty() ? List.of() : List.of(keys.split("\n"));
	}

}
