package dev.vmcp.sessions.mcp.bridge;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.NodeClient;
import dev.vmcp.sessions.testsupport.NodeMember;
import dev.vmcp.sessions.testsupport.RedisCli;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.RoundRobinBalancer;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.TestPod;

import static dev.vmcp.sessions.testsupport.StatelessClient.JSON;
import static dev.vmcp.sessions.testsupport.StatelessClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 2026-07-28 client and 2025 members that ask it things during their calls, through two
 * pods sharing one Redis behind a balancer that alternates on every request: each
 * question reaches the client as an {@code InputRequiredResult}, the member's answer
 * stream stays open on the pod that sent the call, and each retry, on whichever pod,
 * takes the call on from the store. The members are the TypeScript SDK v1 one
 * ({@code asker}) and the Java SDK one ({@code alpha}); the clients the TypeScript SDK v2
 * client and a raw one.
 */
class StatelessClientAsksIntegrationTests {

	private static final NodeClient SDK_CLIENT = new NodeClient("clients/sdk-client.mjs", Duration.ofSeconds(90));

	private static final Duration INPUT_WAIT = Duration.ofSeconds(3);

	private static final String CAPABILITIES = "{\"elicitation\":{\"form\":{}},\"sampling\":{},\"roots\":{}}";

	private static RedisServerProcess redis;

	private static NodeMember asker;

	private static McpBackendServer alpha;

	private static TestPod podA;

	private static TestPod podB;

	private static RoundRobinBalancer balancer;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		asker = NodeMember.start("members/asking-member.mjs");
		alpha = McpBackendServer.start("alpha", ResponseMode.SSE);
		podA = TestPod.start(podProperties());
		podB = TestPod.start(podProperties());
		balancer = RoundRobinBalancer.start(List.of(podA.port(), podB.port()));
	}

	@AfterAll
	static void stop() {
		Closing.all(balancer, podA, podB, alpha, asker, redis);
	}

	static Map<String, Object> podProperties() {
		Map<String, Object> properties = TestPod.redisProperties(redis.port());
		properties.put("vmcp.backends[0].name", "asker");
		properties.put("vmcp.backends[0].url", asker.url());
		properties.put("vmcp.backends[1].name", "alpha");
		properties.put("vmcp.backends[1].url", alpha.url());
		properties.put("vmcp.mcp.input-wait", INPUT_WAIT.toMillis() + "ms");
		return properties;
	}

	@AfterEach
	void nothingParkedStaysInRedis() {
		await().atMost(INPUT_WAIT.plusSeconds(5)).untilAsserted(() -> assertThat(parkedKeys()).isEmpty());
	}

	@Test
	void theSdkClientAnswersThreeQuestionsInARowRoundByRoundOnAlternatingPods() {
		int forwardedBefore = balancer.forwarded().size();

		JsonNode outcome = sdkClient("interview");

		assertThat(outcome.path("text").asString()).isEqualTo("name=Ada model=4 roots=file:///work/ada");
		assertThat(outcome.path("rounds").asInt()).isEqualTo(4);
		assertThat(outcome.path("asked").values().stream().map(JsonNode::asString))
			.containsExactly("elicitation/create", "sampling/createMessage", "roots/list");
		Set<Integer> podsOfTheRounds = balancer.forwarded()
			.subList(forwardedBefore, balancer.forwarded().size())
			.stream()
			.filter((forwarded) -> forwarded.body().contains("\"interview\""))
			.map(RoundRobinBalancer.Forwarded::podPort)
			.collect(Collectors.toSet());
		assertThat(podsOfTheRounds).containsExactlyInAnyOrder(podA.port(), podB.port());
	}

	@Test
	void aSamplingRoundReachesTheSdkClient() {
		JsonNode outcome = sdkClient("sampling");

		assertThat(outcome.path("text").asString()).isEqualTo("model said 4");
		assertThat(outcome.path("rounds").asInt()).isEqualTo(2);
	}

	@Test
	void aRootsRoundReachesTheSdkClient() {
		JsonNode outcome = sdkClient("roots");

		assertThat(outcome.path("text").asString()).isEqualTo("roots: file:///work/ada");
		assertThat(outcome.path("rounds").asInt()).isEqualTo(2);
	}

	@Test
	void notificationsBeforeAQuestionComeWithItAndThoseAfterWithTheRetryThatAnswersIt() {
		List<StatelessClient> pods = List.of(client(podA), client(podB));
		String call = "{\"name\":\"interview\",\"_meta\":{\"progressToken\":\"p1\","
				+ "\"io.modelcontextprotocol/logLevel\":\"info\",\"io.modelcontextprotocol/clientCapabilities\":"
				+ CAPABILITIES + "}";
		List<JsonNode> first = events(pods.get(0).send(request(1, "tools/call", call + "}")));
		assertThat(logs(first)).containsExactly("before the first question");
		JsonNode asked = first.get(first.size() - 1).path("result");
		assertThat(asked.path("resultType").asString()).isEqualTo("input_required");

		List<String> answers = List.of("{\"action\":\"accept\",\"content\":{\"name\":\"Grace\"}}",
				"{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"four\"},\"model\":\"m\"}",
				"{\"roots\":[{\"uri\":\"file:///grace\"}]}");
		List<String> logsAfter = List.of("after the elicitation", "after the sampling", "after the roots");
		for (int round = 0; round < 3; round++) {
			String key = asked.path("inputRequests").propertyNames().iterator().next();
			List<JsonNode> retry = events(pods.get((round + 1) % 2)
				.send(request(2 + round, "tools/call",
						call + ",\"inputResponses\":{\"" + key + "\":" + answers.get(round) + "},\"requestState\":\""
								+ asked.path("requestState").asString() + "\"}")));

			assertThat(logs(retry)).containsExactly(logsAfter.get(round));
			assertThat(retry).filteredOn((event) -> event.path("method").asString().equals("notifications/progress"))
				.extracting((event) -> event.path("params").path("progressToken").asString())
				.containsOnly("p1");
			assertThat(retry.get(retry.size() - 1).path("id").asInt()).isEqualTo(2 + round);
			if (round == 0) {
				JsonNode replayed = last(pods.get(0)
					.send(request(9, "tools/call", call + ",\"inputResponses\":{\"" + key + "\":" + answers.get(round)
							+ "},\"requestState\":\"" + asked.path("requestState").asString() + "\"}")));
				assertThat(replayed.path("error").path("message").asString()).as(replayed.toString())
					.contains("used already");
			}
			asked = retry.get(retry.size() - 1).path("result");
		}
		assertThat(asked.path("resultType").asString()).isEqualTo("complete");
		assertThat(asked.path("content").path(0).path("text").asString())
			.isEqualTo("name=Grace model=four roots=file:///grace");
	}

	@Test
	void theJavaSdkMembersSamplingQuestionReachesARawClient() {
		String call = "{\"name\":\"ask\",\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":" + CAPABILITIES
				+ "}";
		JsonNode asked = last(client(podA).send(request(1, "tools/call", call + "}"))).path("result");
		String key = asked.path("inputRequests").propertyNames().iterator().next();
		assertThat(asked.path("inputRequests").path(key).path("method").asString()).isEqualTo("sampling/createMessage");

		JsonNode answered = last(client(podB).send(request(2, "tools/call",
				call + ",\"inputResponses\":{\"" + key + "\":{\"role\":\"assistant\",\"content\":{\"type\":\"text\","
						+ "\"text\":\"4\"},\"model\":\"m\"}},\"requestState\":\""
						+ asked.path("requestState").asString() + "\"}")));

		assertThat(answered.path("result").path("content").path(0).path("text").asString()).isEqualTo("model said 4");
	}

	@Test
	void theJavaSdkMembersRootsQuestionReachesARawClient() {
		String call = "{\"name\":\"roots\",\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":" + CAPABILITIES
				+ "}";
		JsonNode asked = last(client(podB).send(request(1, "tools/call", call + "}"))).path("result");
		String key = asked.path("inputRequests").propertyNames().iterator().next();
		assertThat(asked.path("inputRequests").path(key).path("method").asString()).isEqualTo("roots/list");

		JsonNode answered = last(client(podA).send(request(2, "tools/call",
				call + ",\"inputResponses\":{\"" + key + "\":{\"roots\":[{\"uri\":\"file:///java\"}]}},"
						+ "\"requestState\":\"" + asked.path("requestState").asString() + "\"}")));

		assertThat(answered.path("result").path("content").path(0).path("text").asString())
			.isEqualTo("roots: file:///java");
	}

	@Test
	void aTamperedStateOrOneForAnotherRequestIsRefusedAndReachesNoMemberAndAUsedOneIsRefusedToo() {
		String call = "{\"name\":\"asker_confirm\",\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":"
				+ CAPABILITIES + "}";
		JsonNode asked = last(client(podA).send(request(1, "tools/call", call + "}"))).path("result");
		String key = asked.path("inputRequests").propertyNames().iterator().next();
		String state = asked.path("requestState").asString();
		String answer = ",\"inputResponses\":{\"" + key + "\":{\"action\":\"accept\",\"content\":{\"name\":\"Eve\"}}}";

		JsonNode tampered = last(client(podB)
			.send(request(2, "tools/call", call + answer + ",\"requestState\":\"" + tamper(state) + "\"}")));
		JsonNode otherTool = last(client(podB).send(request(3, "tools/call",
				call.replace("asker_confirm", "ask_model") + answer + ",\"requestState\":\"" + state + "\"}")));

		assertThat(tampered.path("error").path("code").asInt()).as(tampered.toString()).isEqualTo(-32602);
		assertThat(otherTool.path("error").path("code").asInt()).as(otherTool.toString()).isEqualTo(-32602);
		JsonNode answered = last(client(podB).send(request(4, "tools/call",
				call + answer.replace("Eve", "Ada") + ",\"requestState\":\"" + state + "\"}")));
		assertThat(answered.path("result").path("content").path(0).path("text").asString())
			.as("the member saw no answer before this one")
			.isEqualTo("user said accept {\"name\":\"Ada\"}");
		JsonNode replayed = last(
				client(podA).send(request(5, "tools/call", call + answer + ",\"requestState\":\"" + state + "\"}")));
		assertThat(replayed.path("error").path("code").asInt()).as(replayed.toString()).isEqualTo(-32602);
		assertThat(replayed.path("error").path("message").asString()).contains("call has ended");
	}

	@Test
	void anAnswerThatNeverComesEndsTheCallTheMemberIsToldAndTheLateRetryHasExpired() {
		String call = "{\"name\":\"asker_confirm\",\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":"
				+ CAPABILITIES + "}";
		JsonNode asked = last(client(podA).send(request("never-answered", "tools/call", call + "}"))).path("result");
		String key = asked.path("inputRequests").propertyNames().iterator().next();

		await().atMost(INPUT_WAIT.plusSeconds(10))
			.untilAsserted(() -> assertThat(cancelledAtTheMember()).contains("never-answered"));
		JsonNode late = last(client(podB).send(request(2, "tools/call", call + ",\"inputResponses\":{\"" + key
				+ "\":{\"action\":\"decline\"}},\"requestState\":\"" + asked.path("requestState").asString() + "\"}")));

		assertThat(late.path("error").path("code").asInt()).as(late.toString()).isEqualTo(-32602);
		assertThat(late.path("error").path("message").asString()).contains("expired");
	}

	@Test
	void aPodStoppedWhileItHoldsAParkedCallLosesThatCallOnlyAndSaysSo() {
		TestPod holder = TestPod.start(podProperties());
		String call = "{\"name\":\"asker_confirm\",\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":"
				+ CAPABILITIES + "}";
		JsonNode asked;
		try {
			asked = last(client(holder).send(request(1, "tools/call", call + "}"))).path("result");
		}
		finally {
			holder.close();
		}
		String key = asked.path("inputRequests").propertyNames().iterator().next();

		JsonNode retry = last(client(podB).send(request(2, "tools/call",
				call + ",\"inputResponses\":{\"" + key + "\":{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}},"
						+ "\"requestState\":\"" + asked.path("requestState").asString() + "\"}")));

		assertThat(retry.path("error").path("code").asInt()).as(retry.toString()).isEqualTo(-32010);
		assertThat(retry.path("error").path("message").asString()).contains("the call is lost");
		JsonNode next = last(client(podB)
			.send(request(3, "tools/call", "{\"name\":\"echo\",\"arguments\":{\"text\":\"still here\"},\"_meta\":"
					+ "{\"io.modelcontextprotocol/clientCapabilities\":" + CAPABILITIES + "}}")));
		assertThat(next.path("result").path("content").path(0).path("text").asString()).isEqualTo("still here");
	}

	private static JsonNode sdkClient(String scenario) {
		NodeClient.Run run = SDK_CLIENT.run(balancer.mcpUrl(), "2026-07-28", scenario);
		assertThat(run.exitCode()).as(run::toString).isZero();
		assertThat(run.outcome().path("protocolVersion").asString()).as(run::toString).isEqualTo("2026-07-28");
		return run.outcome();
	}

	private static List<String> cancelledAtTheMember() {
		JsonNode listed = last(client(podA).send(request(9, "tools/call", "{\"name\":\"cancelled\"}")));
		return JSON.readTree(listed.path("result").path("content").path(0).path("text").asString())
			.values()
			.stream()
			.map(JsonNode::asString)
			.toList();
	}

	private static String tamper(String state) {
		String[] parts = state.split("\\.");
		char last = parts[2].charAt(parts[2].length() - 1);
		return parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 1)
				+ ((last == 'A') ? 'B' : 'A');
	}

	private static List<String> logs(List<JsonNode> events) {
		return events.stream()
			.filter((event) -> event.path("method").asString().equals("notifications/message"))
			.map((event) -> event.path("params").path("data").asString())
			.toList();
	}

	/** The messages of an answer: each event of a stream, or the one JSON body. */
	private static List<JsonNode> events(HttpResponse<String> response) {
		if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
			return List.of(JSON.readTree(response.body()));
		}
		return Arrays.stream(response.body().split("\n"))
			.filter((line) -> line.startsWith("data:"))
			.map((line) -> JSON.readTree(line.substring(5).strip()))
			.toList();
	}

	private static JsonNode last(HttpResponse<String> response) {
		List<JsonNode> events = events(response);
		return events.get(events.size() - 1);
	}

	private static StatelessClient client(TestPod pod) {
		return new StatelessClient(URI.create("http://127.0.0.1:" + pod.port() + "/mcp"));
	}

	private static List<String> parkedKeys() {
		String keys = RedisCli.command(redis.port(), "KEYS", "vmcp:session:parked:*").strip();
		return keys.isEmpty() ? List.of() : List.of(keys.split("\n"));
	}

}
