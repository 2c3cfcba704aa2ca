package dev.vmcp.sessions.mcp;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class ClientTaskIdsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final UnaryOperator<String> WRAP = (id) -> "gw-" + id;

	@Test
	void a2026TaskHandleReachesA2025ClientInTheLegacyShape() {
		ObjectNode rewritten = ClientTaskIds.forSessionClient(JSON.readTree("""
				{"jsonrpc":"2.0","id":1,"result":{"resultType":"task","taskId":"m1","status":"working",
				"createdAt":"c","lastUpdatedAt":"u","ttlMs":60000,"pollIntervalMs":500}}"""), WRAP);

		assertThat(rewritten).isNotNull();
		JsonNode task = rewritten.path("result").path("task");
		assertThat(task.path("taskId").asString()).isEqualTo("gw-m1");
		assertThat(task.path("ttl").asInt()).isEqualTo(60000);
		assertThat(task.path("pollInterval").asInt()).isEqualTo(500);
		assertThat(rewritten.path("result").has("resultType")).isFalse();
	}

	@Test
	void a2025TaskHandleStatusAndRelatedTaskGetTheGatewaysId() {
		assertThat(ClientTaskIds
			.forSessionClient(JSON.readTree("{\"id\":1,\"result\":{\"task\":{\"taskId\":\"m1\"}}}"), WRAP)
			.path("result")
			.path("task")
			.path("taskId")
			.asString()).isEqualTo("gw-m1");
		assertThat(ClientTaskIds.forSessionClient(JSON.readTree(
				"{\"method\":\"notifications/tasks/status\",\"params\":{\"taskId\":\"m2\",\"status\":\"completed\"}}"),
				WRAP)
			.path("params")
			.path("taskId")
			.asString()).isEqualTo("gw-m2");
		assertThat(ClientTaskIds.forSessionClient(JSON.readTree(
				"{\"id\":5,\"method\":\"elicitation/create\",\"params\":{\"_meta\":{\"io.modelcontextprotocol/related-task\":{\"taskId\":\"m3\"}}}}"),
				WRAP)
			.path("params")
			.path("_meta")
			.path("io.modelcontextprotocol/related-task")
			.path("taskId")
			.asString()).isEqualTo("gw-m3");
	}

	@Test
	void messagesThatNameNoTaskAreLeftAlone() {
		assertThat(ClientTaskIds.forSessionClient(
				JSON.readTree("{\"id\":1,\"result\":{\"content\":[],\"taskId\":\"not a task answer\"}}"), WRAP))
			.isNull();
		assertThat(ClientTaskIds.forStatelessClient(
				JSON.readTree("{\"method\":\"notifications/progress\",\"params\":{\"taskId\":\"x\"}}"), WRAP))
			.isNull();
	}

	@Test
	void a2026TaskNotificationGetsTheGatewaysIdInEitherRevision() {
		JsonNode notification = JSON
			.readTree("{\"method\":\"notifications/tasks\",\"params\":{\"taskId\":\"m4\",\"status\":\"working\"}}");

		assertThat(ClientTaskIds.forStatelessClient(notification, WRAP).path("params").path("taskId").asString())
			.isEqualTo("gw-m4");
		ObjectNode legacy = ClientTaskIds.forSessionClient(notification, WRAP);
		assertThat(legacy.path("method").asString()).isEqualTo("notifications/tasks/status");
		assertThat(legacy.path("params").path("taskId").asString()).isEqualTo("gw-m4");
	}

	@Test
	void a2025TaskHandleAndStatusReachA2026ClientInTheExtensionsShape() {
		ObjectNode created = ClientTaskIds.forStatelessClient(JSON.readTree("""
				{"jsonrpc":"2.0","id":1,"result":{"task":{"taskId":"m5","status":"working","createdAt":"c",
				"lastUpdatedAt":"u","ttl":60000,"pollInterval":100}}}"""), WRAP);

		JsonNode handle = created.path("result");
		assertThat(handle.path("resultType").asString()).isEqualTo("task");
		assertThat(handle.path("taskId").asString()).isEqualTo("gw-m5");
		assertThat(handle.path("ttlMs").asInt()).isEqualTo(60000);
		assertThat(handle.path("pollIntervalMs").asInt()).isEqualTo(100);
		assertThat(handle.has("task")).isFalse();
		ObjectNode status = ClientTaskIds.forStatelessClient(JSON.readTree(
				"{\"method\":\"notifications/tasks/status\",\"params\":{\"taskId\":\"m6\",\"status\":\"completed\"}}"),
				WRAP);
		assertThat(status.path("method").asString()).isEqualTo("notifications/tasks");
		assertThat(status.path("params").path("taskId").asString()).isEqualTo("gw-m6");
		assertThat(status.path("params").get("ttlMs").isNull()).isTrue();
	}

	@Test
	void the2025TaskCapabilitiesAreTheExtensionForA2026Client() {
		ObjectNode capabilities = (ObjectNode) JSON
			.readTree("{\"tools\":{},\"tasks\":{\"list\":{},\"requests\":{\"tools\":{\"call\":{}}}}}");
		LegacyTasks.declareForStateless(capabilities);
		assertThat(capabilities.has("tasks")).isFalse();
		assertThat(capabilities.path("extensions").has(LegacyTasks.EXTENSION)).isTrue();

		ObjectNode listOnly = (ObjectNode) JSON.readTree("{\"tasks\":{\"list\":{}}}");
		LegacyTasks.declareForStateless(listOnly);
		assertThat(listOnly.isEmpty()).isTrue();
	}

	@Test
	void theAnswerToATaskRequestNamesItsTasksAtTheTop() {
		ObjectNode listed = ClientTaskIds.inTaskAnswer(
				JSON.readTree("{\"id\":1,\"result\":{\"tasks\":[{\"taskId\":\"a\"},{\"taskId\":\"b\"}]}}"), WRAP);

		assertThat(listed.path("result").path("tasks").path(1).path("taskId").asString()).isEqualTo("gw-b");
		assertThat(ClientTaskIds.inTaskAnswer(JSON.readTree("{\"id\":1,\"result\":{\"taskId\":\"a\"}}"), WRAP)
			.path("result")
			.path("taskId")
			.asString()).isEqualTo("gw-a");
	}

}
