package dev.vmcp.sessions.mcp.v2025;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.testsupport.BalancedPods;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.NodeMember;
import dev.vmcp.sessions.testsupport.RawMcpClient;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 2025 client's tasks (the experimental tasks of 2025-11-25) through two pods sharing
 * Redis behind a balancer that alternates on every request: with a 2025 member on the
 * TypeScript SDK v1 that runs its tools as tasks ({@code tasker}), and with a member that
 * speaks only 2026-07-28 and its tasks extension ({@code gamma}). The client only ever
 * sees the gateway's task ids.
 */
class SessionTasksIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static RedisServerProcess redis;

	private static NodeMember tasker;

	private static StatelessMcpServer gamma;

	private static BalancedPods pods;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		tasker = NodeMember.start("members/task-member.mjs");
		gamma = StatelessMcpServer.start("gamma");
		Map<String, Object> properties = TestPod.redisProperties(redis.port());
		properties.put("vmcp.backends[0].name", "tasker");
		properties.put("vmcp.backends[0].url", tasker.url().toString());
		properties.put("vmcp.backends[1].name", "gamma");
		properties.put("vmcp.backends[1].url", gamma.url().toString());
		pods = BalancedPods.start(properties);
	}

	@AfterAll
	static void stop() {
		Closing.all(pods, tasker, gamma, redis);
	}

	@Test
	void a2025MembersTaskIsPolledListedAndResultedUnderTheGatewaysIdOnAnyPod() {
		RawMcpClient client = session();
		List<JsonNode> created = messages(post(client, 2, "tools/call",
				"{\"name\":\"tasker_slow_task\",\"arguments\":{\"text\":\"hi\",\"ms\":300},\"task\":{\"ttl\":60000}}"));
		JsonNode task = response(created).path("result").path("task");
		String taskId = task.path("taskId").asString();
		assertThat(taskId).startsWith("t1.");
		assertThat(task.path("status").asString()).isEqualTo("working");
		JsonNode status = created.stream()
			.filter((message) -> message.path("method").asString("").equals("notifications/tasks/status"))
			.findFirst()
			.orElseThrow();
		assertThat(status.path("params").path("taskId").asString()).isEqualTo(taskId);

		await().atMost(Duration.ofSeconds(10))
			.until(() -> result(post(client, 3, "tasks/get", taskParams(taskId))).path("status").asString(),
					"completed"::equals);
		JsonNode polled = result(post(client, 4, "tasks/get", taskParams(taskId)));
		assertThat(polled.path("taskId").asString()).isEqualTo(taskId);

		JsonNode outcome = result(post(client, 5, "tasks/result", taskParams(taskId)));
		assertThat(outcome.path("content").path(0).path("text").asString()).isEqualTo("done: hi");
		assertThat(outcome.path("_meta").path("io.modelcontextprotocol/related-task").path("taskId").asString())
			.isEqualTo(taskId);

		List<String> listed = new ArrayList<>();
		for (JsonNode listedTask : result(post(client, 6, "tasks/list", "{}")).path("tasks")) {
			listed.add(listedTask.path("taskId").asString());
		}
		assertThat(listed).contains(taskId).allMatch((id) -> id.startsWith("t1."));
		RawMcpClient otherSession = session();
		assertThat(result(post(otherSession, 7, "tasks/list", "{}")).path("tasks").size()).isZero();
	}

	@Test
	void a2025MembersTaskIsCancelledOnceAndForeignIdsAreUnknown() {
		RawMcpClient client = session();
		String taskId = response(messages(post(client, 2, "tools/call", "{\"name\":\"held_task\",\"task\":{}}")))
			.path("result")
			.path("task")
			.path("taskId")
			.asString();

		JsonNode cancelled = result(post(client, 3, "tasks/cancel", taskParams(taskId)));
		assertThat(cancelled.path("status").asString()).isEqualTo("cancelled");
		assertThat(cancelled.path("taskId").asString()).isEqualTo(taskId);
		assertThat(error(post(client, 4, "tasks/cancel", taskParams(taskId))).path("code").asInt()).isEqualTo(-32602);

		assertThat(error(post(client, 5, "tasks/get", taskParams(taskId + "x"))).path("code").asInt())
			.isEqualTo(-32602);
		assertThat(error(post(client, 6, "tasks/get", taskParams("59e80af4fdf2e4cd7cc749eb2f6fa7eb"))).path("code")
			.asInt()).isEqualTo(-32602);
		assertThat(error(post(client, 7, "tasks/list", "{\"cursor\":\"not-ours\"}")).path("code").asInt())
			.isEqualTo(-32602);
	}

	@Test
	void aTaskStatusOnTheStandaloneStreamCarriesTheGatewaysId() {
		RawMcpClient client = session();
		RawMcpClient.OpenStream stream = client.openStream(pods.balancer().port());
		String taskId = response(messages(post(client, 2, "tools/call",
				"{\"name\":\"tasker_slow_task\",\"arguments\":{\"text\":\"later\",\"ms\":1500},\"task\":{}}")))
			.path("result")
			.path("task")
			.path("taskId")
			.asString();

		await().atMost(Duration.ofSeconds(10)).until(() -> completedStatus(stream).isPresent());
		assertThat(completedStatus(stream).orElseThrow().path("params").path("taskId").asString()).isEqualTo(taskId);
	}

	@Test
	void a2026MembersTaskIsTranslatedBothWays() {
		JsonNode capabilities = result(new RawMcpClient().post(pods.balancer().port(),
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
						+ "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"))
			.path("capabilities");
		assertThat(capabilities.path("tasks").path("requests").path("tools").has("call")).isTrue();
		RawMcpClient client = session();
		JsonNode created = response(messages(post(client, 2, "tools/call",
				"{\"name\":\"gamma_slow_task\",\"arguments\":{},\"task\":{\"ttl\":1000}}")));
		JsonNode task = created.path("result").path("task");
		String taskId = task.path("taskId").asString();
		assertThat(taskId).startsWith("t1.").doesNotContain(StatelessMcpServer.TASK_ID);
		assertThat(task.path("status").asString()).isEqualTo("working");
		JsonNode sent = gamma.received("tools/call").getLast().body().path("params");
		assertThat(sent.has("task")).isFalse();
		assertThat(sent.path("_meta")
			.path("io.modelcontextprotocol/clientCapabilities")
			.path("extensions")
			.has("io.modelcontextprotocol/tasks")).isTrue();

		JsonNode polled = result(post(client, 3, "tasks/get", taskParams(taskId)));
		assertThat(polled.path("taskId").asString()).isEqualTo(taskId);
		assertThat(polled.path("status").asString()).isEqualTo("completed");
		assertThat(polled.has("result")).isFalse();
		assertThat(gamma.received("tasks/get").getLast().header("Mcp-Name")).isEqualTo(StatelessMcpServer.TASK_ID);

		JsonNode outcome = result(post(client, 4, "tasks/result", taskParams(taskId)));
		assertThat(outcome.path("content").path(0).path("text").asString()).isEqualTo("task done by gamma");
		assertThat(outcome.path("_meta").path("io.modelcontextprotocol/related-task").path("taskId").asString())
			.isEqualTo(taskId);

		assertThat(error(post(client, 5, "tasks/cancel", taskParams(taskId))).path("code").asInt()).isEqualTo(-32602);
	}

	@Test
	void a2026MembersTaskThatWaitsForInputAsksTheClientOnTasksResultAndTakesTheAnswerOnAnyPod() {
		RawMcpClient client = new RawMcpClient();
		client.initialize(pods.balancer().port(), "{\"elicitation\":{}}");
		client.post(pods.balancer().port(), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
		String taskId = response(messages(post(client, 2, "tools/call",
				"{\"name\":\"gamma_slow_task\",\"arguments\":{\"ask\":true},\"task\":{}}")))
			.path("result")
			.path("task")
			.path("taskId")
			.asString();

		RawMcpClient.OpenStream waiting = client.postOpen(pods.balancer().port(),
				"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tasks/result\",\"params\":" + taskParams(taskId) + "}");
		JsonNode question = await().atMost(Duration.ofSeconds(10))
			.until(() -> streamed(waiting).stream()
				.filter((message) -> message.has("method") && message.has("id"))
				.findFirst()
				.orElse(null), (found) -> found != null);
		assertThat(question.path("method").asString()).isEqualTo("elicitation/create");
		assertThat(question.path("params").path("message").asString()).isEqualTo("Your name?");
		int status = client
			.post(pods.balancer().port(),
					"{\"jsonrpc\":\"2.0\",\"id\":" + question.get("id")
							+ ",\"result\":{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}}")
			.statusCode();
		assertThat(status).isEqualTo(202);

		await().atMost(Duration.ofSeconds(10)).until(waiting::hasEnded);
		List<JsonNode> answered = streamed(waiting);
		JsonNode outcome = answered.getLast();
		assertThat(outcome.path("id").asInt()).isEqualTo(3);
		assertThat(outcome.path("result").path("content").path(0).path("text").asString()).isEqualTo("hello Ada");
		assertThat(outcome.path("result")
			.path("_meta")
			.path("io.modelcontextprotocol/related-task")
			.path("taskId")
			.asString()).isEqualTo(taskId);
		// Asked once, although the member showed the question on every poll until it took
		// the answer.
		assertThat(answered.stream().filter((message) -> message.has("method"))).hasSize(1);
		JsonNode update = gamma.received("tasks/update").getLast().body().path("params");
		assertThat(update.path("taskId").asString()).isEqualTo(StatelessMcpServer.ASKING_TASK_ID);
		assertThat(update.path("inputResponses").path("name").path("content").path("name").asString()).isEqualTo("Ada");
	}

	private static List<JsonNode> streamed(RawMcpClient.OpenStream stream) {
		List<JsonNode> streamed = new ArrayList<>();
		for (String line : stream.lines()) {
			if (line.startsWith("data:") && line.length() > 5 && !line.substring(5).isBlank()) {
				streamed.add(JSON.readTree(line.substring(5).trim()));
			}
		}
		return streamed;
	}

	private static Optional<JsonNode> completedStatus(RawMcpClient.OpenStream stream) {
		return stream.lines()
			.stream()
			.filter((line) -> line.startsWith("data:") && line.length() > 5)
			.map((line) -> JSON.readTree(line.substring(5).trim()))
			.filter((message) -> message.path("method").asString("").equals("notifications/tasks/status")
					&& message.path("params").path("status").asString("").equals("completed"))
			.findFirst();
	}

	private static RawMcpClient session() {
		RawMcpClient client = new RawMcpClient();
		client.initialize(pods.balancer().port());
		client.post(pods.balancer().port(), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
		return client;
	}

	private static String taskParams(String taskId) {
		return "{\"taskId\":\"" + taskId + "\"}";
	}

	private static HttpResponse<String> post(RawMcpClient client, int id, String method, String params) {
		return client.post(pods.balancer().port(),
				"{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
	}

	private static JsonNode result(HttpResponse<String> answer) {
		JsonNode response = response(messages(answer));
		assertThat(response.has("result")).as(answer.body()).isTrue();
		return response.path("result");
	}

	private static JsonNode error(HttpResponse<String> answer) {
		JsonNode response = response(messages(answer));
		assertThat(response.has("error")).as(answer.body()).isTrue();
		return response.path("error");
	}

	private static JsonNode response(List<JsonNode> messages) {
		return messages.stream()
			.filter((message) -> message.has("id") && !message.has("method"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No response in " + messages));
	}

	/** The messages of an answer, sent whole or as an event stream. */
	private static List<JsonNode> messages(HttpResponse<String> answer) {
		String body = answer.body().strip();
		if (body.startsWith("{")) {
			return List.of(JSON.readTree(body));
		}
		List<JsonNode> messages = new ArrayList<>();
		for (String line : body.split("\n")) {
			if (line.startsWith("data:") && line.length() > 5 && !line.substring(5).isBlank()) {
				messages.add(JSON.readTree(line.substring(5).trim()));
			}
		}
		return messages;
	}

}
