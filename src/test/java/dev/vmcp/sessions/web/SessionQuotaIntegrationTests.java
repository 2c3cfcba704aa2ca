package dev.vmcp.sessions.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.security.CallerResolver;
import dev.vmcp.sessions.testsupport.HttpApi;
import dev.vmcp.sessions.testsupport.HttpApi.Response;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisCli;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.TestIssuer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Limits on creating sessions, over real HTTP on pods sharing one real Redis, with JWT
 * callers: each caller holds at most {@code max-per-caller} live sessions counted across
 * every pod, creates them at most at {@code create-rate} per pod, and beyond either gets
 * a 429 with {@code Retry-After}, before any backend is reached.
 */
class SessionQuotaIntegrationTests {

	private static final String SESSIONS = "/api/v1/sessions";

	private static final int LIMIT = 3;

	private static final Map<String, String> MCP_HEADERS = Map.of("Content-Type", "application/json", "Accept",
			"application/json, text/event-stream");

	private static final String MCP_INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\","
			+ "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
			+ "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

	private static RedisServerProcess redis;

	private static TestIssuer issuer;

	private static McpBackendServer alpha;

	/** Two pods with {@value #LIMIT} sessions per caller. */
	private static TestPod podA;

	private static TestPod podB;

	/** Sessions idle for 1.5 s expire; two per caller; administrators exempt. */
	private static TestPod shortIdle;

	/** Two creations per second, two at once. */
	private static TestPod slowCreation;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		issuer = TestIssuer.create();
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		podA = TestPod.start(podProperties(Map.of("vmcp.session.max-per-caller", LIMIT)));
		podB = TestPod.start(podProperties(Map.of("vmcp.session.max-per-caller", LIMIT)));
		shortIdle = TestPod.start(podProperties(Map.of("vmcp.session.max-per-caller", 2, "vmcp.session.ttl", "1500ms",
				"vmcp.session.quota-exempt-admin", true)));
		slowCreation = TestPod.start(
				podProperties(Map.of("vmcp.session.create-rate.per-second", 2, "vmcp.session.create-rate.burst", 2)));
	}

	@AfterAll
	static void stop() {
		podA.close();
		podB.close();
		shortIdle.close();
		slowCreation.close();
		alpha.close();
		redis.close();
	}

	private static Map<String, Object> podProperties(Map<String, Object> limits) {
		Map<String, Object> properties = new LinkedHashMap<>(TestPod.redisProperties(redis.port()));
		properties.putAll(issuer.podProperties());
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.putAll(limits);
		return properties;
	}

	@Test
	void aCallerAtItsLimitIsRefusedOnEveryPodBeforeAnyBackendIsReachedWhileAnotherCallerIsNot() {
		HttpApi aliceOnA = as(podA, "alice");
		HttpApi aliceOnB = as(podB, "alice");
		assertThat(aliceOnA.postEmpty(SESSIONS).status()).isEqualTo(201);
		assertThat(aliceOnB.postEmpty(SESSIONS).status()).isEqualTo(201);
		assertThat(aliceOnA.postEmpty(SESSIONS).status()).isEqualTo(201);
		int initializes = alpha.initializeCount();

		for (HttpApi alice : new HttpApi[] { aliceOnA, aliceOnB }) {
			Response refused = alice.postEmpty(SESSIONS);
			SessionApiIntegrationTests.assertProblem(refused, 429);
			assertThat(refused.json().get("title").asString()).isEqualTo("Too many sessions");
			assertThat(refused.json().get("limit").asInt()).isEqualTo(LIMIT);
			// Unused, the first session ends one idle TTL (30 min) after its creation.
			assertThat(retryAfterSeconds(refused)).isBetween(1L, Duration.ofMinutes(30).toSeconds());
		}
		assertThat(alpha.initializeCount()).isEqualTo(initializes);
		assertThat(as(podB, "bob").postEmpty(SESSIONS).status()).isEqualTo(201);
	}

	@Test
	void terminatingOneSessionOnAnyPodLetsTheCallerCreateOneMore() {
		HttpApi carolOnA = as(podA, "carol");
		String first = created(carolOnA);
		created(carolOnA);
		created(carolOnA);
		assertThat(carolOnA.postEmpty(SESSIONS).status()).isEqualTo(429);

		assertThat(as(podB, "carol").delete(SESSIONS + "/" + first).status()).isEqualTo(204);
		assertThat(carolOnA.postEmpty(SESSIONS).status()).isEqualTo(201);
		assertThat(carolOnA.postEmpty(SESSIONS).status()).isEqualTo(429);
	}

	@Test
	void slotsOfSessionsThatExpiredComeBackWithoutAnyTerminate() {
		HttpApi dave = as(shortIdle, "dave");
		String first = created(dave);
		created(dave);
		Response refused = dave.postEmpty(SESSIONS);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(retryAfterSeconds(refused)).isBetween(1L, 2L);

		await().atMost(Duration.ofSeconds(6))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(dave.postEmpty(SESSIONS).status()).isEqualTo(201));
		assertThat(dave.get(SESSIONS + "/" + first).status()).isEqualTo(404);
	}

	@Test
	void mcpInitializeBeyondTheLimitIsA429WithAJsonRpcErrorAndRestAndMcpShareTheCount() {
		HttpApi erin = as(podA, "erin");
		created(erin);
		created(erin);
		Response initialized = erin.send("POST", "/mcp", MCP_INITIALIZE, MCP_HEADERS);
		assertThat(initialized.status()).isEqualTo(200);
		assertThat(initialized.header("Mcp-Session-Id")).isPresent();

		Response refused = as(podB, "erin").send("POST", "/mcp", MCP_INITIALIZE, MCP_HEADERS);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.contentType()).startsWith("application/json");
		assertThat(refused.header("Mcp-Session-Id")).isEmpty();
		assertThat(retryAfterSeconds(refused)).isPositive();
		assertThat(refused.json().get("jsonrpc").asString()).isEqualTo("2.0");
		assertThat(refused.json().get("id").asInt()).isEqualTo(7);
		assertThat(refused.json().get("error").get("code").asInt()).isEqualTo(-32029);
		assertThat(refused.json().get("error").get("message").asString()).contains("live sessions");
		assertThat(erin.postEmpty(SESSIONS).status()).isEqualTo(429);
	}

	@Test
	void theCreationRateOfACallerIsLimitedAndRecovers() {
		HttpApi frank = as(slowCreation, "frank");
		created(frank);
		created(frank);
		Response tooFast = frank.postEmpty(SESSIONS);
		SessionApiIntegrationTests.assertProblem(tooFast, 429);
		assertThat(tooFast.json().get("title").asString()).isEqualTo("Too many session creations");
		assertThat(retryAfterSeconds(tooFast)).isEqualTo(1);
		Response mcpTooFast = frank.send("POST", "/mcp", MCP_INITIALIZE, MCP_HEADERS);
		assertThat(mcpTooFast.status()).isEqualTo(429);
		assertThat(retryAfterSeconds(mcpTooFast)).isEqualTo(1);
		assertThat(mcpTooFast.json().get("id").asInt()).isEqualTo(7);
		assertThat(mcpTooFast.json().get("error").get("code").asInt()).isEqualTo(-32029);
		assertThat(as(slowCreation, "grace").postEmpty(SESSIONS).status()).isEqualTo(201);

		await().atMost(Duration.ofSeconds(3))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(frank.postEmpty(SESSIONS).status()).isEqualTo(201));
	}

	@Test
	void anAdministratorIsLimitedLikeAnyCallerUnlessExempted() {
		HttpApi admin = podA.http().withBearer(issuer.token("heidi", CallerResolver.ADMIN_SCOPE));
		for (int i = 0; i < LIMIT; i++) {
			created(admin);
		}
		assertThat(admin.postEmpty(SESSIONS).status()).isEqualTo(429);

		HttpApi exempt = shortIdle.http().withBearer(issuer.token("ivan", CallerResolver.ADMIN_SCOPE));
		for (int i = 0; i < 3; i++) {
			created(exempt);
		}
		assertThat(as(shortIdle, "ivan").postEmpty(SESSIONS).status()).isEqualTo(201);
	}

	@Test
	void theMemoryStoreKeepsTheSameLimitOnItsOnePod() {
		try (TestPod memory = TestPod.start(Map.of("vmcp.session.max-per-caller", 2, "vmcp.backends[0].name", "alpha",
				"vmcp.backends[0].url", alpha.url()))) {
			HttpApi anonymous = memory.http();
			String first = created(anonymous);
			created(anonymous);
			SessionApiIntegrationTests.assertProblem(anonymous.postEmpty(SESSIONS), 429);
			assertThat(anonymous.delete(SESSIONS + "/" + first).status()).isEqualTo(204);
			created(anonymous);
			assertThat(anonymous.postEmpty(SESSIONS).status()).isEqualTo(429);
		}
	}

	/**
	 * The quota is kept at creation and terminate only: reading a cached session is still
	 * one Redis command, the session-load script (the commands it runs inside are counted
	 * too, under their own names).
	 */
	@Test
	void aCachedGetStillCostsOneRedisCommand() {
		HttpApi judy = as(podA, "judy");
		String id = created(judy);
		assertThat(judy.get(SESSIONS + "/" + id).status()).isEqualTo(200);
		RedisCli.command(redis.port(), "CONFIG", "RESETSTAT");
		int gets = 5;
		for (int i = 0; i < gets; i++) {
			assertThat(judy.get(SESSIONS + "/" + id).status()).isEqualTo(200);
		}
		Map<String, Long> calls = new LinkedHashMap<>(commandCalls());
		calls.keySet().removeIf((command) -> command.startsWith("config") || command.equals("info"));
		// Redis counts the commands the session-load script runs too: one of each per GET
		assertThat(calls).isEqualTo(
				Map.of("evalsha", (long) gets, "hmget", (long) gets, "hset", (long) gets, "pexpire", (long) gets));
	}

	/** Calls per command since the last reset, from {@code INFO commandstats}. */
	private static Map<String, Long> commandCalls() {
		return RedisCli.info(redis.port(), "commandstats")
			.entrySet()
			.stream()
			.collect(Collectors.toMap((entry) -> entry.getKey().replace("cmdstat_", ""),
					(entry) -> Long.parseLong(entry.getValue().replaceAll("^calls=(\\d+),.*$", "$1")), Long::sum,
					LinkedHashMap::new));
	}

	private static HttpApi as(TestPod pod, String subject) {
		return pod.http().withBearer(issuer.token(subject));
	}

	private static String created(HttpApi caller) {
		Response response = caller.postEmpty(SESSIONS);
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.sessionId();
	}

	private static long retryAfterSeconds(Response response) {
		return Long.parseLong(response.header("Retry-After").orElseThrow());
	}

}
