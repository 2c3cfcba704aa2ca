package dev.vmcp.sessions.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.session.LiveSession;
import dev.vmcp.sessions.session.LiveSessionCache;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several pods on one real Redis: any pod serves any session, terminations reach every
 * pod at once, eviction only closes what a pod holds.
 */
class MultiPodRedisIntegrationTests {

	private static RedisServerProcess redis;

	private static McpBackendServer alpha;

	private static McpBackendServer beta;

	private static TestPod podA;

	private static TestPod podB;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		beta = McpBackendServer.start("beta", ResponseMode.SSE);
		podA = TestPod.start(podProperties(1000));
		podB = TestPod.start(podProperties(1000));
	}

	@AfterAll
	static void stop() {
		podA.close();
		podB.close();
		alpha.close();
		beta.close();
		redis.close();
	}

	static Map<String, Object> podProperties(int capacity) {
		Map<String, Object> properties = new LinkedHashMap<>(TestPod.redisProperties(redis.port()));
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[1].name", "beta");
		properties.put("vmcp.backends[1].url", beta.url());
		properties.put("vmcp.session.cache.capacity", capacity);
		return properties;
	}

	@Test
	void sessionCreatedOnOnePodIsServedByAnotherWhichResumesTheBackendSessions() {
		JsonNode created = podA.http().postEmpty("/api/v1/sessions").json();
		String id = created.get("id").asString();
		int alphaInitializes = alpha.initializeCount();
		int betaInitializes = beta.initializeCount();
		JsonNode onB = podB.http().get("/api/v1/sessions/" + id).json();
		assertThat(onB.get("id").asString()).isEqualTo(id);
		assertThat(onB.get("backends"))
			.allSatisfy((backend) -> assertThat(backend.get("state").asString()).isEqualTo("connected"));
		assertThat(alpha.initializeCount()).isEqualTo(alphaInitializes);
		assertThat(beta.initializeCount()).isEqualTo(betaInitializes);
		assertThat(onB.get("backends")).isEqualTo(created.get("backends"));
		LiveSession live = podB.bean(LiveSessionCache.class).find(new SessionId(id)).orElseThrow();
		assertThat(live.connections()).hasSize(2)
			.allSatisfy(
					(connection) -> assertThat(backendServer(connection).requestCount(connection.backendSessionId()))
						.isGreaterThanOrEqualTo(2));
	}

	@Test
	@DisplayName("race 5: a terminate on one pod closes another pod's connections promptly, without a request")
	void terminateOnOnePodClosesAnotherPodsConnectionsWithinOneSecond() {
		String id = podA.http().postEmpty("/api/v1/sessions").sessionId();
		assertThat(podB.http().get("/api/v1/sessions/" + id).status()).isEqualTo(200);
		LiveSessionCache cacheOnB = podB.bean(LiveSessionCache.class);
		LiveSession heldByB = cacheOnB.find(new SessionId(id)).orElseThrow();
		List<BackendConnection> connections = heldByB.connections();
		assertThat(podA.http().delete("/api/v1/sessions/" + id).status()).isEqualTo(204);
		await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
			assertThat(cacheOnB.find(new SessionId(id))).isEmpty();
			assertThat(connections).allMatch(BackendConnection::isClosed);
		});
		assertThat(podB.http().get("/api/v1/sessions/" + id).status()).isEqualTo(404);
	}

	@Test
	void backendThatForgotItsSessionIsReinitializedOnceAndEveryPodAdoptsTheNewOne() {
		JsonNode created = podA.http().postEmpty("/api/v1/sessions").json();
		String id = created.get("id").asString();
		alpha.forgetAllSessions();
		int initializes = alpha.initializeCount();
		JsonNode onB = podB.http().get("/api/v1/sessions/" + id).json();
		assertThat(alpha.initializeCount()).isEqualTo(initializes + 1);
		JsonNode onA = podA.http().get("/api/v1/sessions/" + id).json();
		assertThat(alpha.initializeCount()).isEqualTo(initializes + 1);
		assertThat(connectedAt(onA, "alpha")).isEqualTo(connectedAt(onB, "alpha"))
			.isNotEqualTo(connectedAt(created, "alpha"));
		assertThat(connectedAt(onA, "beta")).isEqualTo(connectedAt(created, "beta"));
	}

	@Test
	void evictionUnderCapacityKeepsSessionsRestorableAndNeverDeletesBackendSessions() {
		try (TestPod small = TestPod.start(podProperties(3))) {
			List<String> ids = IntStream.range(0, 12)
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> small.http().postEmpty("/api/v1/sessions")))
				.toList()
				.stream()
				.map((future) -> future.join().sessionId())
				.toList();
			LiveSessionCache cache = small.bean(LiveSessionCache.class);
			cache.cleanUp();
			assertThat(cache.size()).isLessThanOrEqualTo(3);
			int deletes = alpha.deleteCount() + beta.deleteCount();
			int initializes = alpha.initializeCount() + beta.initializeCount();
			for (String id : ids) {
				assertThat(small.http().get("/api/v1/sessions/" + id).status()).isEqualTo(200);
			}
			cache.cleanUp();
			assertThat(cache.size()).isLessThanOrEqualTo(3);
			assertThat(alpha.deleteCount() + beta.deleteCount()).isEqualTo(deletes);
			assertThat(alpha.initializeCount() + beta.initializeCount()).isEqualTo(initializes);
		}
	}

	@Test
	void shutdownClosesThePodsConnectionsAndLeavesTheSessionsToOtherPods() {
		TestPod leaving = TestPod.start(podProperties(100));
		String id = leaving.http().postEmpty("/api/v1/sessions").sessionId();
		List<BackendConnection> connections = leaving.bean(LiveSessionCache.class)
			.find(new SessionId(id))
			.orElseThrow()
			.connections();
		int deletes = alpha.deleteCount() + beta.deleteCount();
		int initializes = alpha.initializeCount() + beta.initializeCount();
		leaving.close();
		assertThat(connections).isNotEmpty().allMatch(BackendConnection::isClosed);
		assertThat(podA.http().get("/api/v1/sessions/" + id).status()).isEqualTo(200);
		assertThat(alpha.deleteCount() + beta.deleteCount()).isEqualTo(deletes);
		assertThat(alpha.initializeCount() + beta.initializeCount()).isEqualTo(initializes);
	}

	@Test
	void slidingTtlAndMaximumLifetimeHoldWithRealRedisExpiry() throws Exception {
		Map<String, Object> properties = new LinkedHashMap<>(podProperties(100));
		properties.put("vmcp.session.ttl", "1s");
		properties.put("vmcp.session.max-lifetime", "3s");
		try (TestPod shortLived = TestPod.start(properties)) {
			String idle = shortLived.http().postEmpty("/api/v1/sessions").sessionId();
			String active = shortLived.http().postEmpty("/api/v1/sessions").sessionId();
			for (int i = 0; i < 4; i++) {
				Thread.sleep(500);
				assertThat(shortLived.http().get("/api/v1/sessions/" + active).status()).isEqualTo(200);
			}
			assertThat(shortLived.http().get("/api/v1/sessions/" + idle).status()).isEqualTo(404);
			await().atMost(Duration.ofSeconds(3))
				.pollInterval(Duration.ofMillis(400))
				.untilAsserted(
						() -> assertThat(shortLived.http().get("/api/v1/sessions/" + active).status()).isEqualTo(404));
		}
	}

	private static McpBackendServer backendServer(BackendConnection connection) {
		return connection.backend().equals("alpha") ? alpha : beta;
	}

	private static String connectedAt(JsonNode session, String backend) {
		for (JsonNode entry : session.get("backends")) {
			if (entry.get("name").asString().equals(backend)) {
				return entry.get("connectedAt").asString();
			}
		}
		throw new AssertionError("No backend " + backend);
	}

}
