package dev.vmcp.sessions.session;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The session lifecycle as Micrometer meters, all prefixed {@code vmcp.}. Counter names
 * avoid the suffix {@code created}, which Prometheus reserves for creation timestamps.
 */
public final class SessionMetrics {

	private final MeterRegistry registry;

	private final Counter created;

	private final Counter restored;

	private final Counter terminated;

	private final Counter invalidationsReceived;

	private final Counter cacheHits;

	private final Counter cacheMisses;

	/**
	 * Store timers by operation and outcome, looked up once: store calls are the hot
	 * path.
	 */
	private final Map<String, Timer> storeTimers = new ConcurrentHashMap<>();

	public SessionMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.created = Counter.builder("vmcp.sessions.creations").description("Sessions created").register(registry);
		this.restored = Counter.builder("vmcp.sessions.restores")
			.description("Live sessions restored on this pod from the store")
			.register(registry);
		this.terminated = Counter.builder("vmcp.sessions.terminations")
			.description("Sessions terminated by this pod")
			.register(registry);
		this.invalidationsReceived = Counter.builder("vmcp.sessions.invalidations.received")
			.description("Terminations announced by any pod and received by this one")
			.register(registry);
		this.cacheHits = cacheRequests("hit");
		this.cacheMisses = cacheRequests("miss");
	}

	void created() {
		this.created.increment();
	}

	void restored() {
		this.restored.increment();
	}

	void terminated() {
		this.terminated.increment();
	}

	/** A terminate announcement reached this pod. */
	void invalidationReceived() {
		this.invalidationsReceived.increment();
	}

	/**
	 * A live session left this pod's cache; only capacity and idleness count as eviction.
	 */
	void removedFromCache(RemovalCause cause) {
		if (cause.wasEvicted()) {
			Counter.builder("vmcp.sessions.evictions")
				.description("Live sessions closed by this pod for capacity or idleness")
				.tag("cause", cause.name().toLowerCase(Locale.ROOT))
				.register(this.registry)
				.increment();
		}
	}

	/**
	 * What a read of an evicted session's record led to: {@code ended} (the record was
	 * gone, the backends' sessions were ended), {@code live} (another pod may be using
	 * it, read again at its expiry), {@code failed} (the store failed) or
	 * {@code unwatched} (too many watched); the last two leave the backends' sessions to
	 * their idle timeouts.
	 */
	void evictionChecked(String outcome) {
		Counter.builder("vmcp.sessions.eviction.checks")
			.description("Reads of the record of a session evicted from this pod, by what they led to")
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

	void backendConnectFailed(String backend) {
		Counter.builder("vmcp.backend.connect.failures")
			.description("Failed attempts to open or resume a backend session")
			.tag("backend", backend)
			.register(this.registry)
			.increment();
	}

	/** A request found its live session in this pod's cache, or had to restore it. */
	void cacheLookup(boolean hit) {
		(hit ? this.cacheHits : this.cacheMisses).increment();
	}

	/**
	 * One store call, by operation and outcome ({@code ok}, {@code timeout},
	 * {@code error}).
	 */
	void storeCall(String operation, String outcome, Duration elapsed) {
		this.storeTimers
			.computeIfAbsent(operation + '/' + outcome,
					(key) -> Timer.builder("vmcp.store.operation")
						.description("Session store calls")
						.tag("operation", operation)
						.tag("outcome", outcome)
						.register(this.registry))
			.record(elapsed);
	}

	private Counter cacheRequests(String result) {
		return Counter.builder("vmcp.sessions.cache.requests")
			.description("Live-session lookups on this pod; the hit ratio is hit / (hit + miss)")
			.tag("result", result)
			.register(this.registry);
	}

}
