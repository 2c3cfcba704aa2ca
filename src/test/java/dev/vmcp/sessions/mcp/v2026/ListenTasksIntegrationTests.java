package dev.vmcp.sessions.mcp.v2026;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.mcp.TaskIds;
import dev.vmcp.sessions.security.OwnerBindings;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.testsupport.BalancedPods;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.NodeMember;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestPod;

import static dev.vmcp.sessions.testsupport.StatelessClient.JSON;
import static dev.vmcp.sessions.testsupport.StatelessClient.message;
import static dev.vmcp.sessions.testsupport.StatelessClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Task notifications on {@code subscriptions/listen} (extension
 * {@code io.modelcontextprotocol/tasks}) through two pods sharing Redis behind a balancer
 * that alternates on every request: the filter's {@code taskIds} are the gateway's, each
 * 2026-07-28 member's listen gets its own ids, and its {@code notifications/tasks} reach
 * the client under the gateway's id.
 */
class ListenTasksIntegrationTests {

	private static final String EXTENSION = "io.modelcontextprotocol/tasks";

	private static final String DECLARED = "\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":"
			+ "{\"extensions\":{\"" + EXTENSION + "\":{}}}}";

	private static final TaskIds TASK_IDS = new TaskIds(
			new OwnerBindings("test-binding-secret".getBytes(StandardCharsets.UTF_8)));

	private static RedisServerProcess redis;

	private static NodeMember tasker;

	private static StatelessMcpServer gamma;

	private static BalancedPods pods;

	private static StatelessClient client;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		tasker = NodeMember.start("members/task-member.mjs");
		gamma = StatelessMcpServer.start("gamma");
		Map<String, Object> properties = TestPod.redisProperties(redis.port());
		properties.put("vmcp.backends[0].name", "tasker");
		properties.put("vmcp.backends[0].url", tasker.url().toString());
		properties.put("vmcp.backends[1].name", "gamma");
		properties.put("vmcp.backends[1].url", gamma.url());
		pods = BalancedPods.start(properties);
		client = new StatelessClient(pods.mcpUrl());
	}

	@AfterAll
	static void stop() {
		Closing.all(pods, tasker, gamma, redis);
	}

	@Test
	void aMembersTaskStatusReachesTheListenUnderTheGatewaysIdAndOnlyTheCallersOwnIdsAreAgreedTo() throws Exception {
		String gammaTask = taskOf("gamma_slow_task");
		String taskerTask = taskOf("tasker_held_task");
		TaskIds.MemberTask own = TASK_IDS.unwrap(Caller.anonymous(), gammaTask);
		String mallorys = TASK_IDS.wrap(new Caller("hmac:mallory", false), own.member(), own.taskId());
		List<String> seen = new CopyOnWriteArrayList<>();
		CompletableFuture<List<String>> listen = CompletableFuture
			.supplyAsync(
					() -> client
						.streamLines(
								request("tasks-1", "subscriptions/listen",
										"{\"notifications\":{\"taskIds\":[\"" + gammaTask + "\",\"" + taskerTask
												+ "\",\"" + gammaTask + "x\",\"" + mallorys + "\"]}," + DECLARED + "}"),
								seen));

		await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
		JsonNode ack = JSON.readTree(seen.get(0));
		assertThat(ack.path("method").asString()).isEqualTo("notifications/subscriptions/acknowledged");
		assertThat(ack.path("params").path("notifications").path("taskIds").valueStream().map(JsonNode::asString))
			.containsExactly(gammaTask);
		JsonNode status = JSON.readTree(seen.get(1));
		assertThat(status.path("method").asString()).isEqualTo("notifications/tasks");
		assertThat(status.path("params").path("taskId").asString()).isEqualTo(gammaTask);
		assertThat(status.path("params").path("status").asString()).isEqualTo("completed");
		assertThat(status.path("params").path("result").path("content").path(0).path("text").asString())
			.isEqualTo("task done by gamma");
		assertThat(status.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asString())
			.isEqualTo("tasks-1");
		JsonNode memberFilter = gamma.received("subscriptions/listen")
			.getLast()
			.body()
			.path("params")
			.path("notifications");
		assertThat(memberFilter.path("taskIds").valueStream().map(JsonNode::asString))
			.containsExactly(StatelessMcpServer.TASK_ID);

		client.send(StatelessClient.notification("notifications/cancelled", "{\"requestId\":\"tasks-1\"}"));
		listen.get(10, TimeUnit.SECONDS);
	}

	@Test
	void taskNotificationsForAClientWithoutTheExtensionAreRefused() {
		String taskId = taskOf("gamma_slow_task");

		JsonNode error = message(client
			.send(request("tasks-2", "subscriptions/listen", "{\"notifications\":{\"taskIds\":[\"" + taskId + "\"]}}")))
			.path("error");

		assertThat(error.path("code").asInt()).isEqualTo(-32021);
		assertThat(error.path("data").path("requiredCapabilities").path("extensions").has(EXTENSION)).isTrue();
	}

	private static String taskOf(String tool) {
		JsonNode handle = message(
				client.send(request(1, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":{}," + DECLARED + "}")))
			.path("result");
		assertThat(handle.path("resultType").asString()).as(handle.toString()).isEqualTo("task");
		return handle.path("taskId").asString();
	}

}
