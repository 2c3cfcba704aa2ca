package dev.vmcp.sessions.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.testsupport.HttpApi;
import dev.vmcp.sessions.testsupport.HttpApi.Response;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three pods, one Redis, many clients doing random creates, reads, patches, terminates
 * and backend expiries at once; every operation is recorded with when it started and
 * ended, then a checker looks for what must never happen:
 * <ul>
 * <li>a read that started after an acknowledged terminate succeeds;</li>
 * <li>an acknowledged metadata write is missing from a read that started after it, or
 * from the final state;</li>
 * <li>a session exists that was never created;</li>
 * <li>any answer is a 5xx.</li>
 * </ul>
 */
class MultiPodHistoryIntegrationTests {

	private static final int CLIENTS = 12;

	private static final Duration RUN_TIME = Duration.ofSeconds(8);

	private static RedisServerProcess redis;

	private static McpBackendServer alpha;

	private static McpBackendServer beta;

	private static final List<TestPod> pods = new ArrayList<>();

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		alpha = McpBackendServer.start("alpha", ResponseMode.JSON);
		beta = McpBackendServer.start("beta", ResponseMode.SSE);
		for (int i = 0; i < 3; i++) {
			Map<String, Object> properties = new LinkedHashMap<>(TestPod.redisProperties(redis.port()));
			properties.put("vmcp.backends[0].name", "alpha");
			properties.put("vmcp.backends[0].url", alpha.url());
			properties.put("vmcp.backends[1].name", "beta");
			properties.put("vmcp.backends[1].url", beta.url());
			properties.put("vmcp.session.cache.capacity", 20);
			// Hundreds of creations by the one anonymous caller: limits on creation would
			// turn most of them into 429s, and this history is about consistency.
			properties.put("vmcp.session.max-per-caller", 100_000);
			properties.put("vmcp.session.create-rate.per-second", 100_000);
			properties.put("vmcp.session.create-rate.burst", 100_000);
			pods.add(TestPod.start(properties));
		}
	}

	@AfterAll
	static void stop() {
		pods.forEach(TestPod::close);
		alpha.close();
		beta.close();
		redis.close();
	}

	@Test
	void randomConcurrentHistoryAcrossThreePodsHasNoViolations() throws Exception {
		History history = new History();
		try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
			List<Future<?>> running = new ArrayList<>();
			long deadline = System.nanoTime() + RUN_TIME.toNanos();
			for (int client = 0; client < CLIENTS; client++) {
				running.add(clients.submit(new Client(client, history, deadline)));
			}
			for (Future<?> client : running) {
				client.get();
			}
		}
		finalReads(history);
		List<String> violations = new Checker(history, storedSessionIds()).violations();
		System.out.println("History: " + history.counts() + "; sessions created " + history.created.size()
				+ "; violations " + violations.size());
		assertThat(violations).isEmpty();
		assertThat(history.countOf("get", 200)).isPositive();
		assertThat(history.countOf("terminate", 204)).isPositive();
		assertThat(history.countOf("patch", 200)).isPositive();
	}

	private static void finalReads(History history) {
		for (String id : history.created) {
			history.record("final", id, null, () -> pods.get(0).http().get("/api/v1/sessions/" + id));
		}
	}

	private static Set<String> storedSessionIds() {
		StringRedisTemplate redisTemplate = pods.get(0).bean(StringRedisTemplate.class);
		return redisTemplate.keys("vmcp:session:{*}")
			.stream()
			.map((key) -> key.substring(key.indexOf('{') + 1, key.lastIndexOf('}')))
			.collect(Collectors.toSet());
	}

	/** One client: random operations on random pods until the deadline. */
	private record Client(int number, History history, long deadline) implements Runnable {

		@Override
		public void run() {
			Random random = new Random(number);
			int patches = 0;
			while (System.nanoTime() < this.deadline) {
				HttpApi pod = pods.get(random.nextInt(pods.size())).http();
				int dice = random.nextInt(100);
				String id = this.history.randomSession(random);
				if (id == null || dice < 15) {
					this.history.record("create", null, null, () -> pod.postEmpty("/api/v1/sessions"));
				}
				else if (dice < 55) {
					this.history.record("get", id, null, () -> pod.get("/api/v1/sessions/" + id));
				}
				else if (dice < 80) {
					String key = "c" + this.number + "-" + patches++;
					this.history.record("patch", id, key, () -> pod.patch("/api/v1/sessions/" + id + "/metadata",
							"{\"" + key + "\":\"v\"}", Map.of()));
				}
				else if (dice < 88) {
					this.history.record("terminate", id, null, () -> pod.delete("/api/v1/sessions/" + id));
				}
				else if (dice < 95) {
					String backend = random.nextBoolean() ? "alpha" : "beta";
					this.history.record("expired", id, null,
							() -> pod.postEmpty("/api/v1/sessions/" + id + "/backends/" + backend + "/expired"));
				}
				else {
					String unknown = "never-created-" + "x".repeat(20) + random.nextInt(1000);
					this.history.record("get-unknown", unknown, null, () -> pod.get("/api/v1/sessions/" + unknown));
				}
			}
		}

	}

	/**
	 * An operation as the client saw it: what, on which session, when, and the answer.
	 */
	record Operation(String kind, String id, String key, long start, long end, int status, JsonNode body) {
	}

	static final class History {

		final List<Operation> operations = new CopyOnWriteArrayList<>();

		final Set<String> created = ConcurrentHashMap.newKeySet();

		private final List<String> createdInOrder = Collections.synchronizedList(new ArrayList<>());

		void record(String kind, String id, String key, Supplier<Response> call) {
			long start = System.nanoTime();
			Response response = call.get();
			long end = System.nanoTime();
			JsonNode body = response.contentType().contains("json") ? response.json() : null;
			String sessionId = (id != null) ? id : (response.status() == 201 ? response.sessionId() : null);
			if (kind.equals("create") && response.status() == 201) {
				this.created.add(sessionId);
				this.createdInOrder.add(sessionId);
			}
			this.operations.add(new Operation(kind, sessionId, key, start, end, response.status(), body));
		}

		String randomSession(Random random) {
			synchronized (this.createdInOrder) {
				return this.createdInOrder.isEmpty() ? null
						: this.createdInOrder.get(random.nextInt(this.createdInOrder.size()));
			}
		}

		long countOf(String kind, int status) {
			return this.operations.stream().filter((op) -> op.kind().equals(kind) && op.status() == status).count();
		}

		Map<String, Long> counts() {
			return this.operations.stream()
				.collect(Collectors.groupingBy((op) -> op.kind() + " " + op.status(), TreeMap::new,
						Collectors.counting()));
		}

	}

	/** Looks through a finished history for what must never happen. */
	record Checker(History history, Set<String> storedIds) {

		List<String> violations() {
			List<String> violations = new ArrayList<>();
			Map<String, List<Operation>> bySession = this.history.operations.stream()
				.filter((op) -> op.id() != null)
				.collect(Collectors.groupingBy(Operation::id));
			bySession.forEach((id, operations) -> checkSession(id, operations, violations));
			for (Operation op : this.history.operations) {
				if (op.status() >= 500) {
					violations.add("5xx: " + op);
				}
			}
			for (String stored : this.storedIds) {
				if (!this.history.created.contains(stored)) {
					violations.add("a session exists that was never created: " + stored);
				}
			}
			return violations;
		}

		private void checkSession(String id, List<Operation> operations, List<String> violations) {
			boolean created = this.history.created.contains(id);
			long terminatedAt = operations.stream()
				.filter((op) -> op.kind().equals("terminate") && op.status() == 204)
				.mapToLong(Operation::end)
				.min()
				.orElse(Long.MAX_VALUE);
			List<Operation> acknowledgedPatches = operations.stream()
				.filter((op) -> op.kind().equals("patch") && op.status() == 200)
				.toList();
			for (Operation read : operations) {
				boolean isRead = read.kind().equals("get") || read.kind().equals("final");
				if (!isRead || read.status() != 200) {
					continue;
				}
				if (!created) {
					violations.add("read of a session never created succeeded: " + read);
				}
				if (read.start() > terminatedAt) {
					violations.add("read after an acknowledged terminate succeeded: " + read);
				}
				for (Operation patch : acknowledgedPatches) {
					if (read.start() > patch.end() && !read.body().get("metadata").has(patch.key())) {
						violations.add("acknowledged write " + patch.key() + " missing from a later read of " + id);
					}
				}
			}
			boolean everTerminated = operations.stream()
				.anyMatch((op) -> op.kind().equals("terminate") && op.status() == 204);
			boolean finalReadFound = operations.stream()
				.anyMatch((op) -> op.kind().equals("final") && op.status() == 200);
			if (created && !everTerminated && !finalReadFound) {
				violations.add("session lost: never terminated, yet the final read did not find " + id);
			}
		}

	}

}
