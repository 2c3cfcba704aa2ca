package dev.vmcp.sessions.mcp.v2026;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.testsupport.BalancedPods;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.TestPod;

import static dev.vmcp.sessions.testsupport.StatelessClient.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A raw 2026-07-28 client through two pods (a balancer alternating on every request) in
 * front of a 2025 member (the official Java SDK) that logs at debug, info, warning and
 * error: it is reached through one caller session, whose {@code logging/setLevel} is the
 * lowest any request asked for, sent once whatever the pod, and each request gets only
 * the messages at its own level and above.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallerSessionLogLevelIntegrationTests {

	private static RedisServerProcess redis;

	private static McpBackendServer alpha;

	private static BalancedPods pods;

	private static StatelessClient client;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		alpha = McpBackendServer.start("alpha", ResponseMode.SSE);
		alpha.addChatterTool();
		Map<String, Object> properties = TestPod.redisProperties(redis.port());
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url().toString());
		pods = BalancedPods.start(properties);
		client = new StatelessClient(pods.mcpUrl());
	}

	@AfterAll
	static void stop() {
		Closing.all(pods, alpha, redis);
	}

	@Test
	@Order(1)
	void aRequestAtWarningGetsWarningAndErrorOnlyOnEitherPod() {
		for (int call = 0; call < 2; call++) {
			List<String> logs = chatter("warning");

			assertThat(logs).containsExactly("warning from alpha", "error from alpha");
		}
		assertThat(setLevelsSent()).isOne();
	}

	@Test
	@Order(2)
	void aRequestWithoutALevelGetsNoLogMessages() {
		for (int call = 0; call < 2; call++) {
			assertThat(chatter(null)).isEmpty();
		}
		assertThat(setLevelsSent()).isOne();
	}

	@Test
	@Order(3)
	void aLaterRequestAtDebugGetsEveryLevelAndTheOthersStillTheirOwn() {
		assertThat(chatter("debug")).containsExactly("debug from alpha", "info from alpha", "warning from alpha",
				"error from alpha");
		assertThat(chatter("debug")).hasSize(4);
		assertThat(chatter("error")).containsExactly("error from alpha");
		assertThat(chatter(null)).isEmpty();

		assertThat(setLevelsSent()).isEqualTo(2);
		assertThat(alpha.initializeCount()).isOne();
	}

	@Test
	@Order(4)
	void aLevelThatIsNotOneOfTheSpecificationsIsInvalidParams() {
		HttpResponse<String> response = client.send(callChatter("loud"));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(StatelessClient.message(response).path("error").path("code").asInt()).isEqualTo(-32602);
	}

	/** The data of the log messages a call of {@code chatter} got, in order. */
	private static List<String> chatter(@Nullable String level) {
		HttpResponse<String> response = client.send(callChatter(level));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(StatelessClient.message(response).path("result").path("content").path(0).path("text").asString())
			.as(response.body())
			.isEqualTo("chatted on alpha");
		return response.body()
			.lines()
			.filter((line) -> line.startsWith("data:"))
			.map((line) -> StatelessClient.JSON.readTree(line.substring(5).strip()))
			.filter((message) -> message.path("method").asString("").equals("notifications/message"))
			.map((message) -> message.path("params").path("data").asString())
			.toList();
	}

	private static ObjectNode callChatter(@Nullable String level) {
		String meta = (level != null) ? ",\"_meta\":{\"io.modelcontextprotocol/logLevel\":\"" + level + "\"}" : "";
		return request(1, "tools/call", "{\"name\":\"chatter\",\"arguments\":{}" + meta + "}");
	}

	private static long setLevelsSent() {
		return alpha.posts().stream().filter((post) -> post.method().equals("logging/setLevel")).count();
	}

}
