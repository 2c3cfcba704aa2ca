package dev.vmcp.sessions.config;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.backend.BackendCatalog;
import dev.vmcp.sessions.backend.BackendConnector;
import dev.vmcp.sessions.backend.BackendHttp;
import dev.vmcp.sessions.backend.MemberCaller;
import dev.vmcp.sessions.backend.MemberCredentials;
import dev.vmcp.sessions.backend.StreamableHttpBackendConnector;
import dev.vmcp.sessions.backend.MemberRevisions;
import dev.vmcp.sessions.session.AsyncSessionStore;
import dev.vmcp.sessions.session.BackendReconciler;
import dev.vmcp.sessions.session.CreationLimits;
import dev.vmcp.sessions.session.CreationRateLimiter;
import dev.vmcp.sessions.session.EvictedSessionWatch;
import dev.vmcp.sessions.session.HandedOverSession;
import dev.vmcp.sessions.session.LiveSessionCache;
import dev.vmcp.sessions.session.PodBroadcasts;
import dev.vmcp.sessions.session.SessionInvalidations;
import dev.vmcp.sessions.session.SessionMetrics;
import dev.vmcp.sessions.session.SessionPolicy;
import dev.vmcp.sessions.session.SessionQuota;
import dev.vmcp.sessions.session.SessionEvents;
import dev.vmcp.sessions.session.SessionService;
import dev.vmcp.sessions.session.SessionTtl;
import dev.vmcp.sessions.session.TimedCalls;
import dev.vmcp.sessions.session.TimedSessionStore;
import dev.vmcp.sessions.tracing.Traces;

/**
 * Wires the session service: the store chosen by {@code vmcp.session.store} behind its
 * time limiters, the live-session cache, and the backends.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SessionConfiguration {

	/**
	 * Ticks in milliseconds: what the stores keep, so that a time shown by the pod that
	 * wrote it and by a pod that read it back is the same.
	 */
	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
	}

	@Bean
	SessionTtl sessionTtl(SessionProperties properties, Clock clock) {
		return new SessionTtl(properties.ttl(), properties.tombstoneTtl(), clock);
	}

	/**
	 * One thread that ends the time of store calls that overran it: it runs only when a
	 * deadline passes, and an answered call's deadline leaves its queue at once.
	 */
	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService sessionStoreDeadlines() {
		ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1,
				new CustomizableThreadFactory("session-store-deadlines-"));
		deadlines.setRemoveOnCancelPolicy(true);
		return deadlines;
	}

	/**
	 * Backend I/O and closing of live sessions: blocking, bounded by backend timeouts.
	 * Tasks stay in the trace of the request that submitted them.
	 */
	@Bean(destroyMethod = "close")
	ExecutorService backendExecutor(Traces traces) {
		return traces.propagating(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("backend-", 0).factory()));
	}

	@Bean
	SessionMetrics sessionMetrics(MeterRegistry registry) {
		return new SessionMetrics(registry);
	}

	/** Each store call timed, and traced when it goes to Redis. */
	@Bean
	TimedSessionStore timedSessionStore(AsyncSessionStore sessionStore, TimeLimiterRegistry timeLimiters,
			ScheduledExecutorService sessionStoreDeadlines, SessionMetrics metrics, SessionProperties properties,
			Traces traces) {
		Traces storeTraces = (properties.store() == SessionProperties.StoreType.REDIS) ? traces : Traces.OFF;
		return new TimedSessionStore(sessionStore, timeLimiters,
				new TimedCalls(sessionStoreDeadlines, metrics, storeTraces));
	}

	/** Wakes the live-session cache and the eviction watch when their time comes. */
	@Bean(destroyMethod = "close")
	SessionTimer sessionTimer() {
		return new SessionTimer();
	}

	@Bean
	BackendReconciler backendReconciler(BackendCatalog catalog, BackendConnector connector,
			ExecutorService backendExecutor, SessionProperties properties, Clock clock, SessionMetrics metrics) {
		// Members are initialized and resumed for the caller whose request needs them
		return new BackendReconciler(catalog, connector, MemberCaller.propagating(backendExecutor), clock,
				properties.backendRetryInterval(), metrics);
	}

	/**
	 * Ends the backend sessions of evicted sessions once their records are gone; watches
	 * at most as many sessions as the cache holds live ones. Stopped before the store and
	 * the executors it uses are closed.
	 */
	@Bean(destroyMethod = "stop")
	EvictedSessionWatch evictedSessionWatch(TimedSessionStore store, BackendReconciler reconciler,
			SessionProperties properties, Clock clock, SessionTimer sessionTimer, ExecutorService backendExecutor,
			SessionMetrics metrics) {
		return new EvictedSessionWatch(store, reconciler, properties.ttl(), clock, sessionTimer, backendExecutor,
				metrics, properties.cache().capacity());
	}

	@Bean
	LiveSessionCache liveSessionCache(SessionProperties properties, ExecutorService backendExecutor,
			Scheduler sessionTimer, EvictedSessionWatch evictedSessionWatch, SessionMetrics metrics) {
		return new LiveSessionCache(properties.cache().capacity(), properties.ttl(), backendExecutor,
				Ticker.systemTicker(), sessionTimer, evictedSessionWatch, metrics);
	}

	@Bean
	BackendCatalog backendCatalog(BackendProperties properties) {
		return new BackendCatalog(properties.definitions());
	}

	@Bean
	ServiceVersion serviceVersion(ObjectProvider<BuildProperties> buildProperties) {
		return ServiceVersion.of(buildProperties);
	}

	/**
	 * HTTP to the backends, for the connector and the MCP messenger alike, with each
	 * member's own token where it takes one.
	 */
	@Bean
	BackendHttp backendHttp(MemberCredentials memberCredentials, Traces traces) {
		return new BackendHttp(memberCredentials, traces);
	}

	@Bean
	@ConditionalOnMissingBean
	BackendConnector backendConnector(BackendHttp backendHttp, JsonMapper jsonMapper, Clock clock,
			ServiceVersion version, MemberRevisions revisions) {
		return new StreamableHttpBackendConnector(backendHttp, jsonMapper, clock, version.value(), revisions);
	}

	/**
	 * The store's quota of live sessions per caller and this pod's creation rate per
	 * caller.
	 */
	@Bean
	CreationLimits creationLimits(SessionQuota quota, SessionProperties properties) {
		SessionProperties.CreateRate rate = properties.createRate();
		return new CreationLimits(quota, new CreationRateLimiter(rate.perSecond(), rate.burst(), Ticker.systemTicker()),
				properties.quotaExemptAdmin());
	}

	@Bean
	SessionService sessionService(TimedSessionStore store, LiveSessionCache cache, BackendCatalog catalog,
			BackendReconciler reconciler, SessionInvalidations invalidations, SessionProperties properties, Clock clock,
			SessionMetrics metrics, CreationLimits limits, SessionEvents sessionEvents) {
		SessionPolicy policy = new SessionPolicy(properties.maxLifetime(), properties.metadataMaxSize().toBytes());
		return new SessionService(store, cache, reconciler, catalog, invalidations, policy, clock, metrics, limits,
				sessionEvents);
	}

	@Bean
	LiveSessionsShutdown liveSessionsShutdown(LiveSessionCache cache, EvictedSessionWatch evictedSessionWatch,
			PodBroadcasts broadcasts) {
		return new LiveSessionsShutdown(cache, evictedSessionWatch, broadcasts);
	}

	/** Watches what another pod held or watched when it stopped. */
	@Bean
	SmartInitializingSingleton adoptHandedOverSessions(PodBroadcasts broadcasts, EvictedSessionWatch watch) {
		return () -> broadcasts.subscribe(EvictedSessionWatch.HANDOVER_TOPIC,
				(id, detail) -> watch.adopt(id, HandedOverSession.parse(detail)));
	}

	@Bean
	Gauge liveSessionsGauge(MeterRegistry registry, LiveSessionCache cache) {
		return Gauge.builder("vmcp.sessions.live", cache, LiveSessionCache::size)
			.description("Live sessions (open backend connections) held by this pod")
			.register(registry);
	}

	@Bean
	Gauge evictedSessionsWatchedGauge(MeterRegistry registry, EvictedSessionWatch watch) {
		return Gauge.builder("vmcp.sessions.eviction.watched", watch, EvictedSessionWatch::size)
			.description("Sessions evicted from this pod whose records it reads until they end")
			.register(registry);
	}

}
