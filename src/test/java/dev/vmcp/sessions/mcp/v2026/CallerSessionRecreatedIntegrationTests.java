package dev.vmcp.sessions.mcp.v2026;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.session.LiveSession;
import dev.vmcp.sessions.session.LiveSessionCache;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.StatelessClient;
import dev.vmcp.sessions.testsupport.TestPod;

import static dev.vmcp.sessions.testsupport.StatelessClient.message;
import static dev.vmcp.sessions.testsupport.StatelessClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A caller session's id is derived from the caller, the member and the capabilities, so
 * once its record expires the next 2026-07-28 request creates a new session under the
 * same id, with new member sessions. A pod that still holds the live part of the session
 * that ended (its cache entry lapses a moment after the record) must end that one's
 * member sessions, not take the new record for it. The record's expiry is made at the
 * chosen moment by deleting it, as Redis would.
 */
class CallerSessionRecreatedIntegrationTests {

	private static final Duration TTL = Duration.ofSeconds(2);

	/**
	 * The TTL, the cache's wake-up (about a second), a re-read margin, a loaded machine.
	 */
	private static final Duration EXPIRY_BOUND = Duration.ofSeconds(15);

	/** Where the pods keep a session's record: the prefix, then the id in braces. */
	private static final String RECORD_KEY_PREFIX = "vmcp:session:";

	private static RedisServerProcess redis;

	private static McpBackendServer alpha;

	private static TestPod podA;

	private static TestPod podB;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		Map<String, Object> properties = new LinkedHashMap<>(TestPod.redisProperties(redis.port()));
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[0].protocol", "2025");
		properties.put("vmcp.session.ttl", TTL.toMillis() + "ms");
		podA = TestPod.start(properties);
		podB = TestPod.start(properties);
	}

	@AfterAll
	static void stop() {
		podA.close();
		podB.close();
		alpha.close();
		redis.close();
	}

	@Test
	void aPodUsingTheNewSessionEndsTheMemberSessionOfTheOneThatEndedAtOnce() {
		Recreated session = recreated("at-once");
		// Pod A still holds the session that ended; the request reads the new record.
		echo(podA, session.experiment());

		LiveSession nowOnA = callerSession(podA, session.experiment());
		assertThat(nowOnA.incarnation()).isGreaterThan(session.ended().incarnation());
		assertThat(memberSession(nowOnA)).isEqualTo(session.laterMemberSession());
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(alpha.deletedSessionIds()).contains(session.endedMemberSession()));
		assertThat(alpha.liveSessionIds()).contains(session.laterMemberSession())
			.doesNotContain(session.endedMemberSession());
	}

	@Test
	void aPodWhoseEntryLapsesWhileTheNewSessionLivesEndsTheMemberSessionOfTheOneThatEnded() {
		Recreated session = recreated("on-eviction");
		String experiment = session.experiment();
		String endedMemberSession = session.endedMemberSession();
		String laterMemberSession = session.laterMemberSession();
		ScheduledExecutorService client = Executors.newSingleThreadScheduledExecutor();
		try {
			// The new session stays in use on pod B only; pod A's entry of the ended one
			// lapses, and its read of the record finds the new session's.
			client.scheduleWithFixedDelay(() -> echo(podB, experiment), 300, 300, TimeUnit.MILLISECONDS);
			await().atMost(EXPIRY_BOUND)
				.untilAsserted(() -> assertThat(alpha.deletedSessionIds()).contains(endedMemberSession));
			assertThat(alpha.liveSessionIds()).contains(laterMemberSession);
		}
		finally {
			client.shutdownNow();
		}
	}

	/**
	 * A caller session used through pod A, its record expired, and a new session of its
	 * id created through pod B.
	 */
	private static Recreated recreated(String experiment) {
		echo(podA, experiment);
		LiveSession ended = callerSession(podA, experiment);
		String endedMemberSession = memberSession(ended);
		expire(ended.id());
		echo(podB, experiment);
		String laterMemberSession = memberSession(callerSession(podB, experiment));
		assertThat(laterMemberSession).isNotEqualTo(endedMemberSession);
		return new Recreated(experiment, ended, endedMemberSession, laterMemberSession);
	}

	/**
	 * alpha's echo, by a client that declares an experimental capability of that name.
	 */
	private static void echo(TestPod pod, String experiment) {
		StatelessClient client = new StatelessClient(URI.create("http://127.0.0.1:" + pod.port() + "/mcp"));
		JsonNode answer = message(client.send(request(1, "tools/call",
				"{\"name\":\"echo\",\"arguments\":{\"text\":\"" + experiment + "\"},\"_meta\":{"
						+ "\"io.modelcontextprotocol/clientCapabilities\":{\"experimental\":{\"" + experiment
						+ "\":{}}}}}")));
		assertThat(answer.path("result").path("content").path(0).path("text").asString()).as(answer.toString())
			.contains(experiment);
	}

	/** The caller session the pod holds for the client declaring that capability. */
	private static LiveSession callerSession(TestPod pod, String experiment) {
		LiveSessionCache cache = pod.bean(LiveSessionCache.class);
		return cache.sessions()
			.stream()
			.filter((live) -> live.synced().client().capabilities().contains(experiment))
			.findFirst()
			.orElseThrow();
	}

	private static String memberSession(LiveSession live) {
		return live.connection("alpha").map(BackendConnection::backendSessionId).orElseThrow();
	}

	/** Ends the session's record as its idle TTL would, while the pods still hold it. */
	private static void expire(SessionId id) {
		assertThat(podA.bean(StringRedisTemplate.class).delete(RECORD_KEY_PREFIX + "{" + id.value() + "}")).isTrue();
	}

	private record Recreated(String experiment, LiveSession ended, String endedMemberSession,
			String laterMemberSession) {
	}

}
