package dev.vmcp.sessions.mcp.v2026;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.mcp.TaskIds;
import dev.vmcp.sessions.security.OwnerBindings;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.testsupport.BalancedPods;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.NodeMember;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.TestPod;

import static dev.vmcp.sessions.testsupport.StatelessClient.JSON;
import static dev.vmcp.sessions.testsupport.StatelessClient.message;
import static dev.vmcp.sessions.testsupport.StatelessClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 2025 member's tasks (the experimental tasks of 2025-11-25, TypeScript SDK v1) for a
 * 2026-07-28 client that declared the tasks extension, through two pods sharing Redis
 * behind a balancer that alternates on every request: the call reaches the member
 * task-augmented through the caller session, and the client sees only the extension's
 * shapes and the gateway's ids.
 */
class SessionMemberTasksIntegrationTests {

	private static final String EXTENSION = "io.modelcontextprotocol/tasks";

	private static final String DECLARED = "\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":"
			+ "{\"extensions\":{\"" + EXTENSION + "\":{}}}}";

	private static RedisServerProcess redis;

	private static NodeMember tasker;

	private static BalancedPods pods;

	private static StatelessClient client;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		tasker = NodeMember.start("members/task-member.mjs");
		Map<String, Object> properties = TestPod.redisProperties(redis.port());
		properties.put("vmcp.backends[0].name", "tasker");
		properties.put("vmcp.backends[0].url", tasker.url().toString());
		pods = BalancedPods.start(properties);
		client = new StatelessClient(pods.mcpUrl());
	}

	@AfterAll
	static void stop() {
		Closing.all(pods, tasker, redis);
	}

	@Test
	void discoverOffersTheExtensionInsteadOfTheMembers2025TaskCapabilities() {
		JsonNode capabilities = message(client.send(request(1, "server/discover", "{}"))).path("result")
			.path("capabilities");

		assertThat(capabilities.path("extensions").has(EXTENSION)).isTrue();
		assertThat(capabilities.has("tasks")).isFalse();
	}

	@Test
	void aTaskIsCreatedAsTheExtensionsHandleAndPolledOnEitherPodUntilItsResultIsInlined() {
		List<JsonNode> created = messages(client.send(request(2, "tools/call",
				"{\"name\":\"slow_task\",\"arguments\":{\"text\":\"hi\"," + "\"ms\":300}," + DECLARED + "}")));
		JsonNode handle = created.getLast().path("result");
		String taskId = handle.path("taskId").asString();
		assertThat(handle.path("resultType").asString()).isEqualTo("task");
		assertThat(taskId).startsWith("t1.");
		assertThat(handle.path("status").asString()).isEqualTo("working");
		assertThat(handle.path("ttlMs").asInt()).isEqualTo(60_000);
		assertThat(handle.path("pollIntervalMs").asInt()).isEqualTo(100);
		assertThat(handle.has("task")).isFalse();
		JsonNode status = created.stream()
			.filter((message) -> message.path("method").asString("").startsWith("notifications/tasks"))
			.findFirst()
			.orElseThrow();
		assertThat(status.path("method").asString()).isEqualTo("notifications/tasks");
		assertThat(status.path("params").path("taskId").asString()).isEqualTo(taskId);
		assertThat(status.path("params").path("ttlMs").asInt()).isEqualTo(60_000);

		List<String> seen = new ArrayList<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			seen.add(get(taskId, DECLARED).path("status").asString());
			return seen.getLast().equals("completed");
		});
		assertThat(seen).allMatch((seenStatus) -> seenStatus.equals("working") || seenStatus.equals("completed"));
		// Declaring other capabilities (another caller session) finds the task all the
		// same: its id names the session it lives in.
		JsonNode finished = get(taskId, "\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":"
				+ "{\"roots\":{},\"extensions\":{\"" + EXTENSION + "\":{}}}}");
		assertThat(finished.path("resultType").asString()).isEqualTo("complete");
		assertThat(finished.path("taskId").asString()).isEqualTo(taskId);
		assertThat(finished.path("result").path("content").path(0).path("text").asString()).isEqualTo("done: hi");
		assertThat(finished.path("result").path("_meta").has("io.modelcontextprotocol/related-task")).isFalse();
		assertThat(finished.has("ttl")).isFalse();
	}

	@Test
	void aToolErrorIsACompletedTaskWithItsResultAsTheExtensionSays() {
		String taskId = message(client.send(request(3, "tools/call", "{\"name\":\"failing_task\"," + DECLARED + "}")))
			.path("result")
			.path("taskId")
			.asString();

		await().atMost(Duration.ofSeconds(10))
			.until(() -> get(taskId, DECLARED).path("status").asString(), "completed"::equals);
		JsonNode finished = get(taskId, DECLARED);
		assertThat(finished.path("result").path("isError").asBoolean()).isTrue();
		assertThat(finished.path("result").path("content").path(0).path("text").asString()).isEqualTo("boom");
	}

	@Test
	void aPlainToolRunsWithoutATaskWhateverTheClientDeclares() {
		JsonNode result = message(client
			.send(request(4, "tools/call", "{\"name\":\"echo\",\"arguments\":{\"text\":\"x\"}," + DECLARED + "}")))
			.path("result");

		assertThat(result.path("resultType").asString()).isEqualTo("complete");
		assertThat(result.path("content").path(0).path("text").asString()).isEqualTo("echo: x");
	}

	@Test
	void aTaskIsCancelledWithTheExtensionsAcknowledgmentAndTakesNoUpdate() {
		String taskId = message(client.send(request(5, "tools/call", "{\"name\":\"held_task\"," + DECLARED + "}")))
			.path("result")
			.path("taskId")
			.asString();

		JsonNode acknowledged = message(
				client.send(request(6, "tasks/cancel", "{\"taskId\":\"" + taskId + "\"," + DECLARED + "}")));
		assertThat(acknowledged.path("result").path("resultType").asString()).isEqualTo("complete");
		assertThat(acknowledged.path("result").has("status")).isFalse();
		assertThat(get(taskId, DECLARED).path("status").asString()).isEqualTo("cancelled");
		// Finished already: the extension acknowledges, where 2025-11-25 refuses.
		assertThat(message(client.send(request(7, "tasks/cancel", "{\"taskId\":\"" + taskId + "\"," + DECLARED + "}")))
			.path("result")
			.path("resultType")
			.asString()).isEqualTo("complete");

		HttpResponse<String> update = client.send(request(8, "tasks/update", "{\"taskId\":\"" + taskId
				+ "\",\"inputResponses\":{\"name\":{\"action\":\"decline\"}}," + DECLARED + "}"));
		assertThat(message(update).path("error").path("code").asInt()).isEqualTo(-32602);
		assertThat(message(client.send(request(9, "tasks/result", "{\"taskId\":\"" + taskId + "\"," + DECLARED + "}")))
			.path("error")
			.path("code")
			.asInt()).isEqualTo(-32601);
	}

	@Test
	void anotherCallersIdOrAnAlteredOneIsUnknownAndAClientWithoutTheExtensionIsRefused() {
		String taskId = message(client.send(request(10, "tools/call", "{\"name\":\"held_task\"," + DECLARED + "}")))
			.path("result")
			.path("taskId")
			.asString();
		TaskIds.MemberTask task = new TaskIds(new OwnerBindings("test-binding-secret".getBytes(StandardCharsets.UTF_8)))
			.unwrap(Caller.anonymous(), taskId);
		String mallorys = new TaskIds(new OwnerBindings("test-binding-secret".getBytes(StandardCharsets.UTF_8)))
			.wrap(new Caller("hmac:mallory", false), task.member(), task.taskId(), task.session());

		for (String refused : List.of(mallorys, taskId + "x", task.taskId())) {
			assertThat(
					message(client.send(request(11, "tasks/get", "{\"taskId\":\"" + refused + "\"," + DECLARED + "}")))
						.path("error")
						.path("code")
						.asInt())
				.as(refused)
				.isEqualTo(-32602);
		}

		HttpResponse<String> undeclaredGet = client.send(request(12, "tasks/get", "{\"taskId\":\"" + taskId + "\"}"));
		assertThat(undeclaredGet.statusCode()).isEqualTo(400);
		JsonNode error = message(undeclaredGet).path("error");
		assertThat(error.path("code").asInt()).isEqualTo(-32021);
		assertThat(error.path("data").path("requiredCapabilities").path("extensions").has(EXTENSION)).isTrue();
		assertThat(message(client
			.send(request(13, "tools/call", "{\"name\":\"slow_task\",\"arguments\":" + "{\"text\":\"x\",\"ms\":1}}")))
			.path("error")
			.path("code")
			.asInt()).isEqualTo(-32021);
	}

	private static JsonNode get(String taskId, String meta) {
		JsonNode answer = message(
				client.send(request(20, "tasks/get", "{\"taskId\":\"" + taskId + "\"," + meta + "}")));
		assertThat(answer.has("result")).as(answer.toString()).isTrue();
		return answer.path("result");
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
				messages.add((ObjectNode) JSON.readTree(line.substring(5).trim()));
			}
		}
		return messages;
	}

}
