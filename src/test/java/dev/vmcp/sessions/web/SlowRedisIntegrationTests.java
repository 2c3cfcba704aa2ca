package dev.vmcp.sessions.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.testsupport.HttpApi.Response;
import dev.vmcp.sessions.testsupport.LatencyProxy;
import dev.vmcp.sessions.testsupport.McpBackendServer;
import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis behind a proxy that makes it slow: a burst of requests each ends within its
 * timeout with a 503, no pool grows past its bound or stays blocked, and the service
 * serves again within two seconds of Redis being fast again, with no session lost or
 * resurrected.
 */
class SlowRedisIntegrationTests {

	private static final Duration LOAD_TIMEOUT = Duration.ofMillis(500);

	private static final Duration MARGIN = Duration.ofMillis(700);

	/** A burst of concurrent requests on two cores also waits for CPU. */
	private static final Duration BURST_MARGIN = Duration.ofMillis(1200);

	private static final int BURST = 100;

	private RedisServerProcess redis;

	private LatencyProxy proxy;

	private McpBackendServer backend;

	private TestPod pod;

	@BeforeEach
	void start() {
		this.redis = RedisServerProcess.start();
		this.proxy = LatencyProxy.to(this.redis.port());
		this.backend = McpBackendServer.start("alpha", ResponseMode.JSON);
		Map<String, Object> properties = new LinkedHashMap<>(TestPod.redisProperties(this.proxy.port()));
		properties.put("vmcp.backends[0].name", "alpha");
		properties.put("vmcp.backends[0].url", this.backend.url());
		properties.put("resilience4j.timelimiter.instances.session-load.timeout-duration",
				LOAD_TIMEOUT.toMillis() + "ms");
		this.pod = TestPod.start(properties);
	}

	@AfterEach
	void stop() {
		this.pod.close();
		this.proxy.close();
		this.backend.close();
		this.redis.close();
	}

	@Test
	void slowRedisGives503sWithinTheTimeoutAndTheServiceRecoversWithinTwoSeconds() {
		String live = this.pod.http().postEmpty("/api/v1/sessions").sessionId();
		String terminated = this.pod.http().postEmpty("/api/v1/sessions").sessionId();
		assertThat(this.pod.http().delete("/api/v1/sessions/" + terminated).status()).isEqualTo(204);

		this.proxy.setLatency(Duration.ofSeconds(2));
		// A few requests alone first: the error path is compiled once, so that the burst
		// measures the service, not the JIT.
		for (int i = 0; i < 5; i++) {
			assertThat(timedGet(live).elapsed()).isLessThan(LOAD_TIMEOUT.plus(MARGIN));
		}
		List<TimedResponse> burst = getConcurrently(live, BURST);
		assertThat(burst).allSatisfy((response) -> {
			assertThat(response.status()).isEqualTo(503);
			assertThat(response.elapsed()).isLessThan(LOAD_TIMEOUT.plus(BURST_MARGIN));
		});
		// No thread per call: one thread ends the calls that overran their time, and
		// nothing is left waiting on it once they have.
		ScheduledThreadPoolExecutor deadlines = (ScheduledThreadPoolExecutor) this.pod.bean("sessionStoreDeadlines");
		assertThat(deadlines.getLargestPoolSize()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(deadlines.getQueue()).isEmpty());

		this.proxy.setLatency(Duration.ZERO);
		long recovering = System.nanoTime();
		await().atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(this.pod.http().get("/api/v1/sessions/" + live).status()).isEqualTo(200));
		System.out.printf("Slow Redis: %d requests answered 503 in at most %d ms; served again after %d ms%n", BURST,
				burst.stream().mapToLong((response) -> response.elapsed().toMillis()).max().orElse(0),
				(System.nanoTime() - recovering) / 1_000_000);
		assertThat(this.pod.http().get("/api/v1/sessions/" + terminated).status()).isEqualTo(404);
	}

	private List<TimedResponse> getConcurrently(String id, int requests) {
		try (ExecutorService clients = Executors.newFixedThreadPool(32)) {
			List<CompletableFuture<TimedResponse>> calls = IntStream.range(0, requests)
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> timedGet(id), clients))
				.toList();
			return calls.stream().map(CompletableFuture::join).toList();
		}
	}

	private TimedResponse timedGet(String id) {
		long started = System.nanoTime();
		Response response = this.pod.http().get("/api/v1/sessions/" + id);
		return new TimedResponse(response.status(), Duration.ofNanos(System.nanoTime() - started));
	}

	private record TimedResponse(int status, Duration elapsed) {
	}

}
