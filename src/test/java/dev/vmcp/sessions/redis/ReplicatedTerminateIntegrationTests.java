package dev.vmcp.sessions.redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.testsupport.RedisCli;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code vmcp.session.redis.terminate-replicas}, a terminate is acknowledged only
 * once a replica holds the tombstone: a replica promoted afterwards cannot bring the
 * session back. A lagging replica makes the terminate a 503 that can be retried.
 */
class ReplicatedTerminateIntegrationTests {

	private static final Duration REPLICA_TIMEOUT = Duration.ofMillis(300);

	private static RedisServerProcess primary;

	private static RedisServerProcess replica;

	private static TestPod pod;

	@BeforeAll
	static void start() {
		primary = RedisServerProcess.start();
		replica = RedisServerProcess.start("--replicaof", "127.0.0.1", Integer.toString(primary.port()));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "up".equals(RedisCli.info(replica.port(), "replication").get("master_link_status")));
		Map<String, Object> properties = new LinkedHashMap<>(TestPod.redisProperties(primary.port()));
		properties.put("vmcp.session.redis.terminate-replicas", 1);
		properties.put("vmcp.session.redis.replica-timeout", REPLICA_TIMEOUT.toMillis() + "ms");
		pod = TestPod.start(properties);
	}

	@AfterAll
	static void stop() {
		pod.close();
		replica.close();
		primary.close();
	}

	@Test
	void anAcknowledgedTerminateIsAlreadyOnTheReplica() {
		String id = pod.http().postEmpty("/api/v1/sessions").sessionId();
		assertThat(pod.http().delete("/api/v1/sessions/" + id).status()).isEqualTo(204);
		assertThat(RedisCli.command(replica.port(), "HGET", "vmcp:session:{" + id + "}", "state").strip())
			.isEqualTo("terminated");
	}

	@Test
	void aTerminateTheReplicaDoesNotConfirmIsNotAcknowledgedAndCanBeRetried() {
		String id = pod.http().postEmpty("/api/v1/sessions").sessionId();
		replica.pause();
		try {
			long started = System.nanoTime();
			var refused = pod.http().delete("/api/v1/sessions/" + id);
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.header("Retry-After")).isPresent();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(REPLICA_TIMEOUT.plusSeconds(1));
			// The primary has the tombstone already: nobody is served the session
			// meanwhile.
			assertThat(pod.http().get("/api/v1/sessions/" + id).status()).isEqualTo(404);
		}
		finally {
			replica.resume();
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(pod.http().delete("/api/v1/sessions/" + id).status()).isEqualTo(204));
		assertThat(RedisCli.command(replica.port(), "HGET", "vmcp:session:{" + id + "}", "state").strip())
			.isEqualTo("terminated");
	}

}
