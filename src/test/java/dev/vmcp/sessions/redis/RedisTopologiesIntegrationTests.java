package dev.vmcp.sessions.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.session.LiveSessionCache;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionInvalidations;
import dev.vmcp.sessions.testsupport.HttpApi.Response;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisCli;
import dev.vmcp.sessions.testsupport.RedisClusterProcesses;
import dev.vmcp.sessions.testsupport.RedisSentinelProcesses;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis store on the other two topologies that {@code spring.data.redis.*} offers,
 * with real processes: a three-master Redis Cluster and a primary with a replica under
 * three Sentinels. Two pods share each, with real MCP backends.
 */
class RedisTopologiesIntegrationTests {

	private static final String SESSIONS = "/api/v1/sessions";

	private static final String KEY_PREFIX = RedisSessionStore.DEFAULT_KEY_PREFIX;

	private static McpBackendServer alpha;

	private static McpBackendServer beta;

	@BeforeAll
	static void startBackends() {
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		beta = McpBackendServer.start("beta", ResponseMode.SSE);
	}

	@AfterAll
	static void stopBackends() {
		closeAll(alpha, beta);
	}

	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class OnACluster {

		private RedisClusterProcesses cluster;

		private TestPod podA;

		private TestPod podB;

		@BeforeAll
		void start() {
			this.cluster = RedisClusterProcesses.start(3);
			// Seed nodes only, no host or port: Lettuce discovers the slot map itself.
			Map<String, Object> redis = Map.of("spring.data.redis.cluster.nodes", this.cluster.nodes());
			this.podA = TestPod.start(podProperties(redis));
			this.podB = TestPod.start(podProperties(redis));
		}

		@AfterAll
		void stop() {
			closeAll(this.podA, this.podB, this.cluster);
		}

		@Test
		void aSessionLivesItsWholeLifeAcrossTwoPodsAndTerminationReachesTheOtherPodAtOnce() {
			assertWholeLifecycleAcrossPods(this.podA, this.podB);
		}

		@Test
		void sessionsSpreadOverEveryMasterAndEachScriptRunsWhereItsKeyLives() {
			List<String> ids = IntStream.range(0, 30).mapToObj((i) -> create(this.podA)).toList();
			Map<Integer, List<String>> keysByMaster = new TreeMap<>();
			for (int port : this.cluster.ports()) {
				keysByMaster.put(port, this.cluster.keysOn(port, KEY_PREFIX + "*"));
			}
			System.out.printf("Cluster: %d sessions over masters %s%n", ids.size(),
					sizes(keysByMaster, Set.copyOf(ids.stream().map(RedisTopologiesIntegrationTests::keyOf).toList())));
			// Each key on exactly one master, and every master holds some: the hash tag
			// keeps a session in one slot and the slots are spread over all three.
			for (String id : ids) {
				assertThat(keysByMaster.values().stream().filter((keys) -> keys.contains(keyOf(id))))
					.as("masters holding %s", keyOf(id))
					.hasSize(1);
			}
			assertThat(keysByMaster.values())
				.allSatisfy((keys) -> assertThat(keys).anyMatch((key) -> ids.contains(idOf(key))));
			// Load, update and terminate each run on the master of their own key.
			for (String id : ids) {
				assertThat(this.podB.http().get(SESSIONS + "/" + id).status()).isEqualTo(200);
				assertThat(patch(this.podB, id, "{\"checked\":\"yes\"}").status()).isEqualTo(200);
				assertThat(this.podB.http().delete(SESSIONS + "/" + id).status()).isEqualTo(204);
				assertThat(this.podA.http().get(SESSIONS + "/" + id).status()).isEqualTo(404);
			}
		}

		/**
		 * Each pod subscribes on whichever node Lettuce picks and publishes on another
		 * one: an invalidation must reach every pod from every master.
		 */
		@Test
		void anInvalidationPublishedOnAnyMasterReachesEveryPod() {
			String channel = RedisPodBroadcasts.channelFor(KEY_PREFIX, SessionInvalidations.TOPIC);
			Map<Integer, String> subscribers = new TreeMap<>();
			for (int port : this.cluster.ports()) {
				subscribers.put(port, RedisCli.command(port, "PUBSUB", "NUMSUB", channel).split("\r?\n")[1]);
			}
			System.out.printf("Cluster: subscribers of %s by master %s%n", channel, subscribers);
			List<LiveSessionCache> caches = List.of(this.podA.bean(LiveSessionCache.class),
					this.podB.bean(LiveSessionCache.class));
			for (int port : this.cluster.ports()) {
				String id = create(this.podA);
				assertThat(this.podB.http().get(SESSIONS + "/" + id).status()).isEqualTo(200);
				assertThat(caches).allSatisfy((cache) -> assertThat(cache.find(new SessionId(id))).isPresent());
				RedisCli.command(port, "PUBLISH", channel, id);
				await().atMost(Duration.ofSeconds(1))
					.untilAsserted(() -> assertThat(caches)
						.allSatisfy((cache) -> assertThat(cache.find(new SessionId(id))).as("published on %d", port)
							.isEmpty()));
			}
		}

	}

	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class UnderSentinel {

		private RedisSentinelProcesses sentinel;

		private TestPod podA;

		private TestPod podB;

		@BeforeAll
		void start() {
			this.sentinel = RedisSentinelProcesses.start("vmcp");
			// Sentinels only, no host or port: the primary is whatever they name.
			Map<String, Object> redis = Map.of("spring.data.redis.sentinel.master", this.sentinel.masterName(),
					"spring.data.redis.sentinel.nodes", this.sentinel.sentinelNodes(),
					"vmcp.session.redis.terminate-replicas", 1);
			this.podA = TestPod.start(podProperties(redis));
			this.podB = TestPod.start(podProperties(redis));
		}

		@AfterAll
		void stop() {
			closeAll(this.podA, this.podB, this.sentinel);
		}

		@Test
		void aSessionLivesItsWholeLifeAcrossTwoPodsAndTerminationReachesTheOtherPodAtOnce() {
			assertWholeLifecycleAcrossPods(this.podA, this.podB);
		}

		@Test
		void afterAFailoverTerminatedSessionsStayTerminatedAndLiveOnesAreServedAgain() {
			List<TestPod> pods = List.of(this.podA, this.podB);
			List<String> live = new ArrayList<>();
			List<String> terminated = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				String id = create(pods.get(i % 2));
				(i % 4 < 2 ? terminated : live).add(id);
			}
			// Creations are not waited for: a failover may lose the last of them, so
			// let the replica catch up with those before the terminations.
			this.sentinel.awaitReplicaCaughtUp();
			for (int i = 0; i < terminated.size(); i++) {
				String id = terminated.get(i);
				assertThat(pods.get(i % 2).http().delete(SESSIONS + "/" + id).status()).isEqualTo(204);
			}
			// No waiting here: with terminate-replicas=1 an acknowledged terminate is
			// on the replica already, and the failover comes right after the last of
			// them.
			int oldPrimary = this.sentinel.primaryPort();
			int newPrimary = this.sentinel.replicaPort();

			long started = System.nanoTime();
			Observations observed;
			try (BackgroundReads reads = BackgroundReads.start(pods, live, terminated)) {
				this.sentinel.failover();
				this.sentinel.awaitPrimaryEverywhere(newPrimary);
				long promoted = System.nanoTime();
				// Sentinel demotes the old primary and disconnects its clients seconds
				// after the promotion; the pods follow the Sentinels only then.
				this.sentinel.awaitReplicating(oldPrimary, newPrimary);
				long demoted = System.nanoTime();
				await().atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(100))
					.untilAsserted(() -> assertEveryoneAnswers(pods, live, terminated));
				observed = reads.stop();
				System.out.printf(
						"Sentinel failover %d -> %d: promoted after %d ms, old primary demoted after %d ms, "
								+ "all answers right again after %d ms%n",
						oldPrimary, newPrimary, millisSince(started, promoted), millisSince(started, demoted),
						millisSince(started, System.nanoTime()));
			}
			System.out.printf("Sentinel failover, background GETs: live %s, terminated %s, total 503s %d%n",
					observed.live(), observed.terminated(), observed.count(503));
			// Never 200 for a terminated session, never 404 for a live one, never 500.
			assertThat(observed.terminated().keySet()).as("statuses of terminated sessions during the failover")
				.contains(404)
				.isSubsetOf(404, 503);
			assertThat(observed.live().keySet()).as("statuses of live sessions during the failover")
				.contains(200)
				.isSubsetOf(200, 503);
			assertWritesReachTheNewPrimaryAndEveryPod(live.get(0), newPrimary);
		}

		private void assertWritesReachTheNewPrimaryAndEveryPod(String id, int newPrimary) {
			LiveSessionCache cacheOnB = this.podB.bean(LiveSessionCache.class);
			assertThat(this.podB.http().get(SESSIONS + "/" + id).status()).isEqualTo(200);
			assertThat(cacheOnB.find(new SessionId(id))).isPresent();
			assertThat(this.podA.http().delete(SESSIONS + "/" + id).status()).isEqualTo(204);
			assertThat(RedisCli.command(newPrimary, "HGET", keyOf(id), "state")).isEqualTo("terminated");
			await().atMost(Duration.ofSeconds(1)).until(() -> cacheOnB.find(new SessionId(id)).isEmpty());
			assertThat(this.podB.http().get(SESSIONS + "/" + id).status()).isEqualTo(404);
		}

		private static void assertEveryoneAnswers(List<TestPod> pods, List<String> live, List<String> terminated) {
			for (TestPod pod : pods) {
				for (String id : terminated) {
					assertThat(pod.http().get(SESSIONS + "/" + id).status()).as("terminated %s", id).isEqualTo(404);
				}
				for (String id : live) {
					assertThat(pod.http().get(SESSIONS + "/" + id).status()).as("live %s", id).isEqualTo(200);
				}
			}
		}

		private static long millisSince(long startNanos, long endNanos) {
			return Duration.ofNanos(endNanos - startNanos).toMillis();
		}

	}

	/**
	 * Create on A, read on B without re-initializing any backend, patch, lose a backend
	 * session, terminate on A: B drops its live session without being asked.
	 */
	static void assertWholeLifecycleAcrossPods(TestPod podA, TestPod podB) {
		Response created = podA.http().post(SESSIONS, "{\"metadata\":{\"team\":\"blue\"}}");
		assertThat(created.status()).isEqualTo(201);
		String id = created.sessionId();
		int alphaInitializes = alpha.initializeCount();
		int betaInitializes = beta.initializeCount();

		Response onB = podB.http().get(SESSIONS + "/" + id);
		assertThat(onB.status()).isEqualTo(200);
		assertThat(onB.json().get("backends")).hasSize(2)
			.allSatisfy((backend) -> assertThat(backend.get("state").asString()).isEqualTo("connected"));
		assertThat(onB.json().get("backends")).isEqualTo(created.json().get("backends"));
		assertThat(alpha.initializeCount()).isEqualTo(alphaInitializes);
		assertThat(beta.initializeCount()).isEqualTo(betaInitializes);

		assertThat(patch(podB, id, "{\"env\":\"prod\"}").status()).isEqualTo(200);
		JsonNode metadataOnA = podA.http().get(SESSIONS + "/" + id).json().get("metadata");
		assertThat(metadataOnA.size()).isEqualTo(2);
		assertThat(metadataOnA.get("team").asString()).isEqualTo("blue");
		assertThat(metadataOnA.get("env").asString()).isEqualTo("prod");

		assertThat(podA.http().postEmpty(SESSIONS + "/" + id + "/backends/alpha/expired").status()).isEqualTo(204);
		JsonNode afterExpiry = podB.http().get(SESSIONS + "/" + id).json();
		assertThat(alpha.initializeCount()).isEqualTo(alphaInitializes + 1);
		assertThat(beta.initializeCount()).isEqualTo(betaInitializes);
		assertThat(connectedAt(afterExpiry, "alpha")).isNotEqualTo(connectedAt(created.json(), "alpha"));
		assertThat(connectedAt(afterExpiry, "beta")).isEqualTo(connectedAt(created.json(), "beta"));

		LiveSessionCache cacheOnB = podB.bean(LiveSessionCache.class);
		List<BackendConnection> connectionsOnB = cacheOnB.find(new SessionId(id)).orElseThrow().connections();
		assertThat(podA.http().delete(SESSIONS + "/" + id).status()).isEqualTo(204);
		// Within a second and without a request to B: only the invalidation channel can
		// have told B.
		await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
			assertThat(cacheOnB.find(new SessionId(id))).isEmpty();
			assertThat(connectionsOnB).allMatch(BackendConnection::isClosed);
		});
		assertThat(podB.http().get(SESSIONS + "/" + id).status()).isEqualTo(404);
		assertThat(podA.http().get(SESSIONS + "/" + id).status()).isEqualTo(404);
	}

	static Map<String, Object> podProperties(Map<String, Object> redisTopology) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("vmcp.session.store", "redis");
		properties.put("vmcp.session.binding-secret", "test-binding-secret");
		properties.putAll(redisTopology);
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", alpha.url());
		properties.put("vmcp.backends[1].name", "beta");
		properties.put("vmcp.backends[1].url", beta.url());
		return properties;
	}

	static String create(TestPod pod) {
		Response created = pod.http().postEmpty(SESSIONS);
		assertThat(created.status()).isEqualTo(201);
		return created.sessionId();
	}

	static Response patch(TestPod pod, String id, String body) {
		return pod.http().patch(SESSIONS + "/" + id + "/metadata", body, Map.of());
	}

	static String keyOf(String id) {
		return KEY_PREFIX + "{" + id + "}";
	}

	static String idOf(String key) {
		return key.substring(KEY_PREFIX.length() + 1, key.length() - 1);
	}

	private static Map<Integer, Long> sizes(Map<Integer, List<String>> keysByMaster, Set<String> keys) {
		Map<Integer, Long> sizes = new TreeMap<>();
		keysByMaster.forEach((port, held) -> sizes.put(port, held.stream().filter(keys::contains).count()));
		return sizes;
	}

	private static String connectedAt(JsonNode session, String backend) {
		for (JsonNode entry : session.get("backends")) {
			if (entry.get("name").asString().equals(backend)) {
				return entry.get("connectedAt").asString();
			}
		}
		throw new AssertionError("No backend " + backend);
	}

	/** Closes everything that was started, whatever fails on the way. */
	static void closeAll(AutoCloseable... resources) {
		for (AutoCloseable resource : resources) {
			if (resource != null) {
				try {
					resource.close();
				}
				catch (Exception ex) {
					System.err.println("Could not close " + resource + ": " + ex);
				}
			}
		}
	}

	/** What the background GETs saw, by kind of session: status to count. */
	record Observations(Map<Integer, Integer> live, Map<Integer, Integer> terminated) {

		int count(int status) {
			return this.live.getOrDefault(status, 0) + this.terminated.getOrDefault(status, 0);
		}

	}

	/**
	 * A client that keeps reading every session on every pod, round after round, until
	 * stopped, and counts the statuses it gets.
	 */
	static final class BackgroundReads implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final ConcurrentMap<Integer, AtomicInteger> live = new ConcurrentHashMap<>();

		private final ConcurrentMap<Integer, AtomicInteger> terminated = new ConcurrentHashMap<>();

		private CompletableFuture<Void> loop;

		static BackgroundReads start(List<TestPod> pods, List<String> live, List<String> terminated) {
			BackgroundReads reads = new BackgroundReads();
			reads.loop = CompletableFuture.runAsync(() -> {
				while (reads.running.get()) {
					for (TestPod pod : pods) {
						terminated.forEach((id) -> reads.read(pod, id, reads.terminated));
						live.forEach((id) -> reads.read(pod, id, reads.live));
					}
				}
			});
			return reads;
		}

		private void read(TestPod pod, String id, ConcurrentMap<Integer, AtomicInteger> counts) {
			int status = pod.http().get(SESSIONS + "/" + id).status();
			counts.computeIfAbsent(status, (key) -> new AtomicInteger()).incrementAndGet();
		}

		Observations stop() {
			this.running.set(false);
			this.loop.join();
			return new Observations(snapshot(this.live), snapshot(this.terminated));
		}

		private static Map<Integer, Integer> snapshot(ConcurrentMap<Integer, AtomicInteger> counts) {
			Map<Integer, Integer> snapshot = new TreeMap<>();
			counts.forEach((status, count) -> snapshot.put(status, count.get()));
			return snapshot;
		}

		@Override
		public void close() {
			this.running.set(false);
		}

	}

}
