package dev.vmcp.sessions.audit;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.Closing;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RawMcpClient;
import dev.vmcp.sessions.testsupport.RedisCli;
import dev.vmcp.sessions.testsupport.RedisClusterProcesses;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.StatelessMcpServer;
import dev.vmcp.sessions.testsupport.TestIssuer;
import dev.vmcp.sessions.testsupport.TestPod;

import static dev.vmcp.sessions.testsupport.StatelessClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sessions that end by expiry, nobody asking: each gets one {@code session-end} event
 * with the outcome {@code expired}, naming the caller as the other events do, written by
 * one pod; a terminated session gets none beside its terminate's, not even when its
 * tombstone expires. In a pod's memory, and in Redis behind two pods that both hear of
 * every expired key.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditExpiryIntegrationTests {

	private static final String AUDIENCE = "vmcp-audit-expiry-tests";

	private static final Duration IDLE = Duration.ofSeconds(5);

	private static McpBackendServer alpha;

	private static StatelessMcpServer beta;

	private static TestIssuer issuer;

	@BeforeAll
	static void startMembers() {
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		beta = StatelessMcpServer.start("beta");
		issuer = TestIssuer.create();
	}

	@AfterAll
	static void stopMembers() {
		Closing.all(alpha, beta);
	}

	@Test
	void aSessionThatExpiresInMemoryIsOneEventNamingItsCaller(CapturedOutput output) {
		CapturedAuditEvents audit = new CapturedAuditEvents(output);
		Map<String, Object> properties = jwtPodProperties();
		properties.put("vmcp.session.memory-sweep-interval", "200ms");
		try (TestPod pod = TestPod.start(properties)) {
			String terminated = pod.http().withBearer(token("erin")).postEmpty("/api/v1/sessions").sessionId();
			assertThat(pod.http().withBearer(token("erin")).delete("/api/v1/sessions/" + terminated).status())
				.isEqualTo(204);
			String idle = pod.http().withBearer(token("dave")).postEmpty("/api/v1/sessions").sessionId();

			JsonNode expired = awaitExpiry(audit, idle);
			assertThat(expired.at("/user/id").asString()).isEqualTo("dave");
			assertThat(expired.at("/user/domain").asString()).isEqualTo(TestIssuer.ISSUER);
			assertThat(expired.at("/vmcp/session/kind").asString()).isEqualTo("client");
			assertThat(expired.at("/event/reason").asString()).isEqualTo("idle");
			assertThat(expired.at("/host/name").asString()).isEqualTo(AuditLog.podName());
			assertThat(expired.path("message").asString())
				.isEqualTo("session-end " + abbreviated(idle) + ": expired (idle)");
			// The tombstone (1 s) was swept before the idle session (5 s, created after)
			assertThat(sessionEnds(audit, terminated)).extracting((event) -> event.at("/vmcp/outcome").asString())
				.containsExactly("ok");
		}
	}

	@Test
	void aSessionThatExpiresInRedisIsOneEventAcrossThePods(CapturedOutput output) {
		CapturedAuditEvents audit = new CapturedAuditEvents(output);
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			assertThat(RedisCli.command(redis.port(), "CONFIG", "GET", "notify-keyspace-events")).doesNotContain("x");
			Map<String, Object> properties = podProperties();
			properties.putAll(TestPod.redisProperties(redis.port()));
			try (TestPod podA = TestPod.start(properties); TestPod podB = TestPod.start(properties)) {
				assertThat(RedisCli.command(redis.port(), "CONFIG", "GET", "notify-keyspace-events"))
					.as("the pods made Redis notify expired keys")
					.contains("E")
					.contains("x");

				String clientSession = new RawMcpClient().initialize(podA.port());
				new StatelessClient(URI.create("http://127.0.0.1:" + podB.port() + "/mcp"))
					.send(request(1, "tools/call", "{\"name\":\"whoami\"}"));
				JsonNode callerStart = audit.one("session-start",
						(event) -> "caller".equals(event.at("/vmcp/session/kind").asString("")));
				String callerSession = callerStart.at("/vmcp/session/id").asString();

				String terminated = podB.http().postEmpty("/api/v1/sessions").sessionId();
				assertThat(podA.http().delete("/api/v1/sessions/" + terminated).status()).isEqualTo(204);
				assertThat(RedisCli.command(redis.port(), "EXISTS", "vmcp:session:{" + terminated + "}:expiry").strip())
					.as("a terminate drops the expiry note")
					.isEqualTo("0");

				JsonNode client = awaitExpiry(audit, clientSession);
				assertThat(client.at("/user/id").asString()).isEqualTo("anonymous");
				assertThat(client.at("/vmcp/session/kind").asString()).isEqualTo("client");
				JsonNode caller = audit.one("session-end",
						(event) -> callerSession.equals(event.at("/vmcp/session/id").asString(""))
								&& "expired".equals(event.at("/vmcp/outcome").asString("")));
				assertThat(caller.at("/vmcp/session/kind").asString()).isEqualTo("caller");
				assertThat(caller.at("/event/outcome").asString()).isEqualTo("success");

				await().atMost(Duration.ofSeconds(10))
					.until(() -> RedisCli.command(redis.port(), "EXISTS", "vmcp:session:{" + terminated + "}")
						.strip()
						.equals("0"));
				await().during(Duration.ofSeconds(1))
					.atMost(Duration.ofSeconds(2))
					.untilAsserted(() -> assertThat(sessionEnds(audit, terminated))
						.extracting((event) -> event.at("/vmcp/outcome").asString())
						.containsExactly("ok"));
				assertThat(sessionEnds(audit, clientSession)).as("one event, though both pods heard of the expiry")
					.hasSize(1);
			}
		}
	}

	@Test
	void onARedisClusterThePodsHearTheExpiriesOfEveryPrimary(CapturedOutput output) {
		CapturedAuditEvents audit = new CapturedAuditEvents(output);
		try (RedisClusterProcesses cluster = RedisClusterProcesses.start(3)) {
			Map<String, Object> properties = podProperties();
			properties.put("vmcp.session.store", "redis");
			properties.put("vmcp.session.binding-secret", "test-binding-secret");
			properties.put("spring.data.redis.cluster.nodes", cluster.nodes());
			try (TestPod podA = TestPod.start(properties); TestPod podB = TestPod.start(properties)) {
				assertThat(cluster.ports())
					.allSatisfy((port) -> assertThat(RedisCli.command(port, "CONFIG", "GET", "notify-keyspace-events"))
						.as("primary %d configured", port)
						.contains("E")
						.contains("x"));
				List<String> sessions = new java.util.ArrayList<>();
				for (int i = 0; i < 9; i++) {
					sessions.add(((i % 2 == 0) ? podA : podB).http().postEmpty("/api/v1/sessions").sessionId());
				}
				assertThat(cluster.ports())
					.filteredOn((port) -> !cluster.keysOn(port, "vmcp:session:{*}:expiry").isEmpty())
					.as("notes on several primaries")
					.hasSizeGreaterThan(1);
				for (String sessionId : sessions) {
					awaitExpiry(audit, sessionId);
				}
				assertThat(sessions)
					.allSatisfy((sessionId) -> assertThat(sessionEnds(audit, sessionId)).as("one event per session")
						.hasSize(1));
			}
		}
	}

	@Test
	void withExpiryEventsOffNoNoteIsKeptAndNoEventWritten(CapturedOutput output) {
		CapturedAuditEvents audit = new CapturedAuditEvents(output);
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			Map<String, Object> properties = podProperties();
			properties.putAll(TestPod.redisProperties(redis.port()));
			properties.put("vmcp.audit.expiry-events.enabled", "false");
			try (TestPod pod = TestPod.start(properties)) {
				String sessionId = pod.http().postEmpty("/api/v1/sessions").sessionId();
				assertThat(RedisCli.command(redis.port(), "EXISTS", "vmcp:session:{" + sessionId + "}:expiry").strip())
					.isEqualTo("0");
				assertThat(RedisCli.command(redis.port(), "CONFIG", "GET", "notify-keyspace-events"))
					.as("Redis left as it was")
					.doesNotContain("x");
				await().atMost(Duration.ofSeconds(10))
					.until(() -> RedisCli.command(redis.port(), "EXISTS", "vmcp:session:{" + sessionId + "}")
						.strip()
						.equals("0"));
				assertThat(sessionEnds(audit, sessionId)).isEmpty();
			}
		}
	}

	@Test
	void whereRedisForbidsConfigItsOwnNotificationSettingServes(CapturedOutput output) {
		CapturedAuditEvents audit = new CapturedAuditEvents(output);
		try (RedisServerProcess redis = RedisServerProcess.start("--rename-command", "CONFIG", "",
				"--notify-keyspace-events", "Ex")) {
			Map<String, Object> properties = podProperties();
			properties.putAll(TestPod.redisProperties(redis.port()));
			properties.put("vmcp.audit.expiry-events.configure-redis", "false");
			try (TestPod pod = TestPod.start(properties)) {
				String sessionId = pod.http().postEmpty("/api/v1/sessions").sessionId();
				assertThat(awaitExpiry(audit, sessionId).at("/vmcp/session/kind").asString()).isEqualTo("client");
			}
		}
		assertThat(output.getOut()).doesNotContain("Could not make Redis notify expired keys");
	}

	private static JsonNode awaitExpiry(CapturedAuditEvents audit, String sessionId) {
		JsonNode event = audit.one("session-end",
				session(sessionId).and((candidate) -> "expired".equals(candidate.at("/vmcp/outcome").asString(""))));
		assertThat(event.at("/event/kind").asString()).isEqualTo("event");
		return event;
	}

	private static List<JsonNode> sessionEnds(CapturedAuditEvents audit, String sessionId) {
		return audit.events()
			.stream()
			.filter((event) -> "session-end".equals(event.at("/event/action").asString("")))
			.filter(session(sessionId))
			.toList();
	}

	private static Predicate<JsonNode> session(String sessionId) {
		return (event) -> abbreviated(sessionId).equals(event.at("/vmcp/session/id").asString(""));
	}

	private static String abbreviated(String sessionId) {
		return sessionId.substring(0, 8) + "…";
	}

	private static Map<String, Object> podProperties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("vmcp.session.ttl", IDLE.toMillis() + "ms");
		properties.put("vmcp.session.tombstone-ttl", "1s");
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[0].protocol", "2025");
		properties.put("vmcp.backends[1].name", "beta");
		properties.put("vmcp.backends[1].url", beta.url());
		return properties;
	}

	private static Map<String, Object> jwtPodProperties() {
		Map<String, Object> properties = podProperties();
		properties.put("vmcp.session.binding-secret", "audit-expiry-tests-binding-secret");
		properties.put("spring.security.oauth2.resourceserver.jwt.public-key-location", issuer.publicKeyLocation());
		properties.put("spring.security.oauth2.resourceserver.jwt.audiences", AUDIENCE);
		properties.put("vmcp.mcp.authorization-servers", TestIssuer.ISSUER);
		return properties;
	}

	private static String token(String subject) {
		return issuer.tokenFor(AUDIENCE, subject);
	}

}
