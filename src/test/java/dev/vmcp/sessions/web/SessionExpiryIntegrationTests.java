package dev.vmcp.sessions.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.session.EvictedSessionWatch;
import dev.vmcp.sessions.session.LiveSessionCache;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sessions left to expire by their idle TTL, on pods sharing one real Redis, with real
 * MCP backends: their backend sessions end once the record is gone, and not while another
 * pod still serves the session.
 */
class SessionExpiryIntegrationTests {

	private static final Duration TTL = Duration.ofSeconds(2);

	/** Where the pods keep a session's record: the prefix, then the id in braces. */
	private static final String RECORD_KEY_PREFIX = "vmcp:session:";

	/**
	 * The TTL, the cache's wake-up (Caffeine paces it to about a second), a re-read a
	 * margin after the record's expiry, and a loaded machine.
	 */
	private static final Duration EXPIRY_BOUND = Duration.ofSeconds(15);

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
		podA = TestPod.start(podProperties());
		podB = TestPod.start(podProperties());
	}

	@AfterAll
	static void stop() {
		podA.close();
		podB.close();
		alpha.close();
		beta.close();
		redis.close();
	}

	private static Map<String, Object> podProperties() {
		Map<String, Object> properties = new LinkedHashMap<>(TestPod.redisProperties(redis.port()));
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[1].name", "beta");
		properties.put("vmcp.backends[1].url", beta.url());
		properties.put("vmcp.session.ttl", TTL.toMillis() + "ms");
		return properties;
	}

	@Test
	void aSessionLeftIdleEndsItsBackendSessionsWithoutAnyFurtherRequest() {
		String id = podA.http().postEmpty("/api/v1/sessions").sessionId();
		Map<String, String> held = backendSessions(podA, id);
		assertThat(alpha.liveSessionIds()).contains(held.get("alpha"));
		assertThat(beta.liveSessionIds()).contains(held.get("beta"));
		awaitEnded(held);
		assertThat(podA.http().get("/api/v1/sessions/" + id).status()).isEqualTo(404);
	}

	@Test
	void aSessionIdleOnOnePodButInUseOnAnotherKeepsItsBackendSessions() {
		JsonNode created = podA.http().postEmpty("/api/v1/sessions").json();
		String id = created.get("id").asString();
		Map<String, String> held = backendSessions(podA, id);
		double liveChecksOnA = evictionChecks(podA, "live");
		ScheduledExecutorService client = Executors.newSingleThreadScheduledExecutor();
		try {
			client.scheduleWithFixedDelay(() -> podB.http().get("/api/v1/sessions/" + id), 0, 300,
					TimeUnit.MILLISECONDS);
			// Pod A's entry expires and its read of the record finds the session live.
			await().atMost(EXPIRY_BOUND).until(() -> evictionChecks(podA, "live") > liveChecksOnA);
			JsonNode onB = podB.http().get("/api/v1/sessions/" + id).json();
			assertThat(onB.get("backends")).isEqualTo(created.get("backends"));
			assertThat(alpha.deletedSessionIds()).doesNotContain(held.get("alpha"));
			assertThat(beta.deletedSessionIds()).doesNotContain(held.get("beta"));
			assertThat(alpha.liveSessionIds()).contains(held.get("alpha"));
			assertThat(beta.liveSessionIds()).contains(held.get("beta"));
		}
		finally {
			client.shutdownNow();
		}
		// Left idle everywhere now: it ends like any other.
		awaitEnded(held);
	}

	@Test
	void aSessionLastHeldByAPodThatShutDownEndsItsBackendSessionsOnTheOthers() {
		// A longer TTL on the leaving pod, so that it surely stops before the record it
		// wrote expires: what ends the backend sessions is then the other pods' watch.
		Map<String, Object> properties = podProperties();
		properties.put("vmcp.session.ttl", "6s");
		Map<String, String> held;
		String id;
		try (TestPod leaving = TestPod.start(properties)) {
			id = leaving.http().postEmpty("/api/v1/sessions").sessionId();
			held = backendSessions(leaving, id);
		}
		SessionId handedOver = new SessionId(id);
		await().atMost(Duration.ofSeconds(4))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> podA.bean(EvictedSessionWatch.class).ids().contains(handedOver)
					&& podB.bean(EvictedSessionWatch.class).ids().contains(handedOver));
		assertThat(alpha.deletedSessionIds()).doesNotContain(held.get("alpha"));
		awaitEnded(held);
	}

	@Test
	void aSessionWhoseRecordExpiredJustBeforeItsHolderStoppedStillEndsItsBackendSessions() {
		// The record expires a moment before the cache entry of the pod that used it
		// last;
		// that pod stops in between. Its cache holds the session for long here, and the
		// record is deleted as its expiry would.
		Map<String, Object> properties = podProperties();
		properties.put("vmcp.session.ttl", "1m");
		Map<String, String> held;
		try (TestPod leaving = TestPod.start(properties)) {
			String id = leaving.http().postEmpty("/api/v1/sessions").sessionId();
			held = backendSessions(leaving, id);
			assertThat(leaving.bean(StringRedisTemplate.class).delete(RECORD_KEY_PREFIX + "{" + id + "}")).isTrue();
		}
		awaitEnded(held);
	}

	@Test
	void theLiveSessionsGaugeFallsWithoutTraffic() {
		try (TestPod quiet = TestPod.start(podProperties())) {
			for (int i = 0; i < 3; i++) {
				assertThat(quiet.http().postEmpty("/api/v1/sessions").status()).isEqualTo(201);
			}
			MeterRegistry registry = quiet.bean(MeterRegistry.class);
			assertThat(registry.get("vmcp.sessions.live").gauge().value()).isEqualTo(3);
			// No request reaches the pod from here on.
			await().atMost(EXPIRY_BOUND)
				.untilAsserted(() -> assertThat(registry.get("vmcp.sessions.live").gauge().value()).isZero());
			await().atMost(EXPIRY_BOUND).untilAsserted(() -> assertThat(evictionChecks(quiet, "ended")).isEqualTo(3));
			assertThat(registry.get("vmcp.sessions.eviction.watched").gauge().value()).isZero();
		}
	}

	/** Each backend received the DELETE of its session and no longer holds it open. */
	private static void awaitEnded(Map<String, String> held) {
		await().atMost(EXPIRY_BOUND).untilAsserted(() -> {
			assertThat(alpha.deletedSessionIds()).contains(held.get("alpha"));
			assertThat(beta.deletedSessionIds()).contains(held.get("beta"));
			assertThat(alpha.liveSessionIds()).doesNotContain(held.get("alpha"));
			assertThat(beta.liveSessionIds()).doesNotContain(held.get("beta"));
		});
	}

	/** The backend sessions a pod holds for a session, by backend. */
	private static Map<String, String> backendSessions(TestPod pod, String id) {
		Map<String, String> held = new LinkedHashMap<>();
		for (BackendConnection connection : pod.bean(LiveSessionCache.class)
			.find(new SessionId(id))
			.orElseThrow()
			.connections()) {
			held.put(connection.backend(), connection.backendSessionId());
		}
		assertThat(held).containsOnlyKeys("alpha", "beta");
		return held;
	}

	private static double evictionChecks(TestPod pod, String outcome) {
		Counter counter = pod.bean(MeterRegistry.class)
			.find("vmcp.sessions.eviction.checks")
			.tag("outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
