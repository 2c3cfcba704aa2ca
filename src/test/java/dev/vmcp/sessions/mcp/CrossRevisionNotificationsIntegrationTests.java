package dev.vmcp.sessions.mcp;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.BalancedPods;
import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.NodeMember;
import dev.vmcp.sessions.testsupport.RawMcpClient;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.TestPod;

import static dev.vmcp.sessions.testsupport.StatelessClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Change notifications across revisions, through two pods sharing one Redis: a 2026-07-28
 * client's {@code subscriptions/listen} fed by a 2025 member ({@code alpha}, the Java
 * SDK) through a session of the listen's own, and a 2025 client's standalone stream fed
 * by a 2026-07-28 member ({@code gamma}, the TypeScript SDK v2) through a
 * {@code subscriptions/listen} held by the pod holding the client's stream.
 */
class CrossRevisionNotificationsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static RedisServerProcess redis;

	private static McpBackendServer alpha;

	private static NodeMember gamma;

	private static BalancedPods pods;

	private final AtomicInteger ids = new AtomicInteger(100);

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		alpha = McpBackendServer.start("alpha", ResponseMode.SSE);
		gamma = NodeMember.start("members/stateless-member.mjs");
		pods = BalancedPods.start(podProperties());
	}

	@AfterAll
	static void stop() {
		Closing.all(pods, gamma, alpha, redis);
	}

	static Map<String, Object> podProperties() {
		Map<String, Object> properties = TestPod.redisProperties(redis.port());
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[0].protocol", "2025");
		properties.put("vmcp.backends[1].name", "gamma");
		properties.put("vmcp.backends[1].url", gamma.url());
		properties.put("vmcp.backends[1].protocol", "2026-07-28");
		// Writes on idle streams, which is how a pod notices a client gone away
		properties.put("vmcp.mcp.keep-alive-interval", "1s");
		return properties;
	}

	@Test
	void aListenHearsA2025MembersListChangeAndSubscribedResourceAndEndsItsSessionThereWhenCancelledOnTheOtherPod()
			throws Exception {
		StatelessClient onPodA = new StatelessClient(URI.create("http://127.0.0.1:" + pods.first().port() + "/mcp"));
		StatelessClient onPodB = new StatelessClient(URI.create("http://127.0.0.1:" + pods.second().port() + "/mcp"));
		Set<String> sessionsBefore = new HashSet<>(alpha.liveSessionIds());
		List<String> events = new CopyOnWriteArrayList<>();
		CompletableFuture<List<String>> listening = CompletableFuture
			.supplyAsync(() -> onPodA.streamLines(request("listen-2025", "subscriptions/listen",
					"{\"notifications\":{\"toolsListChanged\":true,\"resourceSubscriptions\":[\"alpha://watched\"]}}"),
					events));

		await().atMost(WAIT).until(() -> !events.isEmpty());
		JsonNode ack = StatelessClient.JSON.readTree(events.get(0));
		assertThat(ack.path("method").asString()).isEqualTo("notifications/subscriptions/acknowledged");
		assertThat(ack.path("params").path("notifications").path("resourceSubscriptions").get(0).asString())
			.isEqualTo("alpha://watched");
		await().atMost(WAIT).until(() -> newSessions(sessionsBefore).size() == 1);
		String listenSession = newSessions(sessionsBefore).iterator().next();

		// Each round triggers again: the member's stream may open a moment after the ack
		await().atMost(WAIT).untilAsserted(() -> {
			alpha.updateResource("alpha://unwatched");
			alpha.updateResource("alpha://watched");
			assertThat(events).anyMatch((event) -> event.contains("notifications/resources/updated"));
		});
		await().atMost(WAIT).untilAsserted(() -> {
			alpha.addTool("fresh_" + this.ids.incrementAndGet());
			assertThat(events).anyMatch((event) -> event.contains("notifications/tools/list_changed"));
		});
		List<JsonNode> relayed = events.stream().skip(1).map(StatelessClient.JSON::readTree).toList();
		assertThat(relayed).allSatisfy((notification) -> assertThat(
				notification.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asString())
			.isEqualTo("listen-2025"));
		assertThat(relayed)
			.filteredOn(
					(notification) -> notification.path("method").asString().equals("notifications/resources/updated"))
			.allSatisfy((notification) -> assertThat(notification.path("params").path("uri").asString())
				.isEqualTo("alpha://watched"));

		onPodB.send(StatelessClient.notification("notifications/cancelled", "{\"requestId\":\"listen-2025\"}"));

		listening.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		await().atMost(WAIT).until(() -> alpha.deletedSessionIds().contains(listenSession));
		assertThat(alpha.liveSessionIds()).doesNotContain(listenSession);
	}

	@Test
	void aListenWhoseClientGoesAwayEndsItsSessionAtThe2025Member() {
		StatelessClient onPodA = new StatelessClient(URI.create("http://127.0.0.1:" + pods.first().port() + "/mcp"));
		Set<String> sessionsBefore = new HashSet<>(alpha.liveSessionIds());
		String listenSession;
		try (Stream<String> lines = onPodA.openLines(
				request("listen-gone", "subscriptions/listen", "{\"notifications\":{\"toolsListChanged\":true}}"))) {
			assertThat(lines.filter((line) -> line.startsWith("data:")).findFirst().orElseThrow())
				.contains("notifications/subscriptions/acknowledged");
			await().atMost(WAIT).until(() -> newSessions(sessionsBefore).size() == 1);
			listenSession = newSessions(sessionsBefore).iterator().next();
		}

		await().atMost(WAIT).until(() -> alpha.deletedSessionIds().contains(listenSession));
	}

	@Test
	void aStandaloneStreamHearsA2026MembersListChangeAndAResourceSubscribedOnTheOtherPodAndItsListenMovesWithIt() {
		RawMcpClient client = new RawMcpClient();
		client.initialize(pods.first().port());
		RawMcpClient.OpenStream onA = client.openStream(pods.first().port());
		await().atMost(WAIT).until(() -> openListens(client) == 1);

		String subscribed = client
			.post(pods.second().port(),
					"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"resources/subscribe\","
							+ "\"params\":{\"uri\":\"member://greeting\"}}")
			.body();
		assertThat(subscribed).contains("\"result\":{}").doesNotContain("error");

		// The listen is opened again with the subscription: triggered until it is
		await().atMost(WAIT).untilAsserted(() -> {
			callTool(client, "update_resource", "{\"uri\":\"member://elsewhere\"}");
			callTool(client, "update_resource", "{\"uri\":\"member://greeting\"}");
			assertThat(onA.lines()).anyMatch((line) -> line.contains("notifications/resources/updated"));
		});
		callTool(client, "add_tool", "{\"name\":\"fresh_" + this.ids.incrementAndGet() + "\"}");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(onA.lines())
				.anyMatch((line) -> line.contains("notifications/tools/list_changed")));
		List<String> relayed = onA.lines().stream().filter((line) -> line.startsWith("data:")).toList();
		assertThat(relayed).noneMatch((line) -> line.contains("io.modelcontextprotocol/"))
			.noneMatch((line) -> line.contains("member://elsewhere"))
			.anyMatch((line) -> line.contains("member://greeting"));

		RawMcpClient.OpenStream onB = client.openStream(pods.second().port());

		await().atMost(WAIT).until(onA::hasEnded);
		await().atMost(WAIT).untilAsserted(() -> {
			callTool(client, "add_tool", "{\"name\":\"fresh_" + this.ids.incrementAndGet() + "\"}");
			assertThat(onB.lines()).anyMatch((line) -> line.contains("notifications/tools/list_changed"));
		});
		assertThat(openListens(client)).isEqualTo(1);
	}

	private Set<String> newSessions(Set<String> before) {
		Set<String> added = new HashSet<>(alpha.liveSessionIds());
		added.removeAll(before);
		return added;
	}

	private String callTool(RawMcpClient client, String name, String arguments) {
		String body = client
			.post(pods.second().port(),
					"{\"jsonrpc\":\"2.0\",\"id\":" + this.ids.incrementAndGet()
							+ ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + name + "\",\"arguments\":"
							+ arguments + "}}")
			.body();
		assertThat(body).contains("\"result\"");
		return body;
	}

	private int openListens(RawMcpClient client) {
		String body = callTool(client, "open_listens", "{}");
		String text = body.replaceAll("(?s).*\"text\":\"(\\d+)\".*", "$1");
		return Integer.parseInt(text);
	}

}
