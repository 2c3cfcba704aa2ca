package dev.vmcp.sessions.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.testsupport.HttpApi.Response;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis stopped or frozen under a running service: 503 within the operation's timeout,
 * the service stays up, sessions are unharmed, and it serves again once Redis is back.
 */
class RedisOutageIntegrationTests {

	private static final Duration LOAD_TIMEOUT = Duration.ofMillis(500);

	private static final Duration MARGIN = Duration.ofMillis(700);

	private RedisServerProcess redis;

	private McpBackendServer backend;

	private TestPod pod;

	@BeforeEach
	void start() {
		// Every write on disk before it is answered, as a Redis holding sessions
		// through a crash is configured: a restart then brings back exactly what was
		// acknowledged.
		this.redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
		this.backend = McpBackendServer.start("alpha", ResponseMode.JSON);
		Map<String, Object> properties = new LinkedHashMap<>(TestPod.redisProperties(this.redis.port()));
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", this.backend.url());
		properties.put("resilience4j.timelimiter.instances.session-load.timeout-duration",
				LOAD_TIMEOUT.toMillis() + "ms");
		properties.put("resilience4j.timelimiter.instances.session-create.timeout-duration", "1s");
		properties.put("resilience4j.timelimiter.instances.session-update.timeout-duration", "1s");
		this.pod = TestPod.start(properties);
	}

	@AfterEach
	void stop() {
		this.pod.close();
		this.backend.close();
		this.redis.close();
	}

	@Test
	@DisplayName("race 8: a frozen Redis is 503 within the load timeout, and the session survives")
	void frozenRedisAnswers503WithinTheLoadTimeoutAndTheSessionSurvives() {
		String id = this.pod.http().postEmpty("/api/v1/sessions").sessionId();
		this.redis.pause();
		try {
			long started = System.nanoTime();
			Response response = this.pod.http().get("/api/v1/sessions/" + id);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			assertUnavailable(response);
			assertThat(elapsed).isLessThan(LOAD_TIMEOUT.plus(MARGIN));
			assertThat(this.pod.http().get("/actuator/health/liveness").status()).isEqualTo(200);
			assertThat(this.pod.http().get("/actuator/prometheus").body())
				.containsPattern("vmcp_store_operation_seconds_count\\{[^}]*operation=\"load\",outcome=\"timeout\"");
		}
		finally {
			this.redis.resume();
		}
		await().atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.pod.http().get("/api/v1/sessions/" + id).status()).isEqualTo(200));
	}

	@Test
	void killedRedisAnswers503FastAndTheServiceServesAgainWhenRedisIsBackWithNothingLostOrResurrected() {
		String live = this.pod.http().postEmpty("/api/v1/sessions").sessionId();
		String terminated = this.pod.http().postEmpty("/api/v1/sessions").sessionId();
		assertThat(this.pod.http().delete("/api/v1/sessions/" + terminated).status()).isEqualTo(204);
		this.redis.kill();
		long started = System.nanoTime();
		Response response = this.pod.http().get("/api/v1/sessions/" + "A".repeat(43));
		assertUnavailable(response);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(LOAD_TIMEOUT.plus(MARGIN));
		assertUnavailable(this.pod.http().postEmpty("/api/v1/sessions"));
		assertThat(this.pod.http().get("/actuator/health/liveness").status()).isEqualTo(200);
		// Anyone sees the status; which component is down, an administrator only.
		Response health = this.pod.http().get("/actuator/health");
		assertThat(health.status()).isEqualTo(503);
		assertThat(health.json().get("status").asString()).isEqualTo("DOWN");
		// Readiness leaves Redis out: the service itself answers 503 and recovers.
		assertThat(this.pod.http().get("/actuator/health/readiness").status()).isEqualTo(200);
		// Down long enough for reconnect attempts to back off.
		await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
		this.redis.restart();
		long restarted = System.nanoTime();
		await().atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(this.pod.http().postEmpty("/api/v1/sessions").status()).isEqualTo(201));
		System.out.printf("Redis killed and restarted: serving again %d ms after the restart%n",
				(System.nanoTime() - restarted) / 1_000_000);
		assertThat(this.pod.http().get("/api/v1/sessions/" + live).status()).isEqualTo(200);
		assertThat(this.pod.http().get("/api/v1/sessions/" + terminated).status()).isEqualTo(404);
	}

	private static void assertUnavailable(Response response) {
		SessionApiIntegrationTests.assertProblem(response, 503);
		assertThat(response.header("Retry-After")).hasValue("1");
		assertThat(response.json().get("title").asString()).isEqualTo("Session store unavailable");
	}

}
