package dev.vmcp.sessions.session;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.backend.BackendCatalog;
import dev.vmcp.sessions.backend.BackendDefinition;
import dev.vmcp.sessions.backend.BackendHttp;
import dev.vmcp.sessions.backend.MemberRevisions;
import dev.vmcp.sessions.backend.StreamableHttpBackendConnector;
import dev.vmcp.sessions.testsupport.McpBackendServer;

/**
 * A {@link SessionService} built by hand, the way the application wires it, over a store
 * the test controls and real MCP backends. Two fixtures over one store behave like two
 * pods.
 */
final class SessionServiceFixture implements AutoCloseable {

	/**
	 * Deadline of every store call. A test that pauses a call must release it within
	 * this, so it is generous enough for a loaded machine.
	 */
	static final Duration STORE_TIMEOUT = Duration.ofMillis(1500);

	private static final Duration IDLE_TTL = Duration.ofMinutes(30);

	private static final long CAPACITY = 100;

	final PausingSessionStore store;

	final LiveSessionCache cache;

	final EvictedSessionWatch watch;

	final SessionService service;

	private final ExecutorService storeExecutor = Executors.newFixedThreadPool(8);

	private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor();

	private final ExecutorService backendExecutor = Executors.newVirtualThreadPerTaskExecutor();

	/**
	 * A failed backend is tried again this soon, so that tests see it reconnect quickly.
	 */
	private static final Duration BACKEND_RETRY_INTERVAL = Duration.ofMillis(200);

	private final BackendHttp backendHttp = new BackendHttp();

	/** Ticks in milliseconds, like the application's clock. */
	private final Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));

	SessionServiceFixture(PausingSessionStore store, List<McpBackendServer> backends) {
		this.store = store;
		TimeLimiterRegistry limiters = TimeLimiterRegistry
			.of(TimeLimiterConfig.custom().timeoutDuration(STORE_TIMEOUT).cancelRunningFuture(true).build());
		SessionMetrics metrics = new SessionMetrics(new SimpleMeterRegistry());
		TimedSessionStore timed = new TimedSessionStore(new BlockingStoreOnExecutor(store, this.storeExecutor),
				limiters, this.deadlines, metrics);
		BackendCatalog catalog = new BackendCatalog(backends.stream()
			.map((backend) -> new BackendDefinition(backend.name(), backend.url(), Duration.ofSeconds(1),
					Duration.ofSeconds(2)))
			.toList());
		JsonMapper json = JsonMapper.builder().build();
		var connector = new StreamableHttpBackendConnector(this.backendHttp, json, this.clock, "test",
				new MemberRevisions(this.backendHttp, json, Duration.ofMinutes(5), BACKEND_RETRY_INTERVAL, "test"));
		BackendReconciler reconciler = new BackendReconciler(catalog, connector, this.backendExecutor, this.clock,
				BACKEND_RETRY_INTERVAL, metrics);
		// Limits that these tests never reach: they are tested on their own.
		CreationLimits limits = new CreationLimits(
				new MemorySessionQuota(1000, store,
						new SessionTtl(Duration.ofMinutes(30), Duration.ofMinutes(10), this.clock)),
				new CreationRateLimiter(1000, 1000, Ticker.systemTicker()), false);
		this.watch = new EvictedSessionWatch(timed, reconciler, IDLE_TTL, this.clock, Scheduler.systemScheduler(),
				this.backendExecutor, metrics, CAPACITY);
		this.cache = new LiveSessionCache(CAPACITY, IDLE_TTL, this.backendExecutor, Ticker.systemTicker(),
				Scheduler.systemScheduler(), this.watch, metrics);
		this.service = new SessionService(timed, this.cache, reconciler, catalog, this.cache::invalidate,
				new SessionPolicy(Duration.ofHours(1), 16 * 1024), this.clock, metrics, limits, SessionEvents.NONE);
	}

	@Override
	public void close() {
		this.watch.stop();
		this.cache.invalidateAll();
		this.storeExecutor.shutdownNow();
		this.deadlines.shutdownNow();
		this.backendExecutor.close();
		this.backendHttp.close();
	}

}
