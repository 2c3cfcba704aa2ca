package dev.vmcp.sessions.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * The bounded per-pod cache of {@link LiveSession}s.
 * <ul>
 * <li>Whatever leaves the cache (capacity, idleness, replacement, invalidation) is
 * closed, asynchronously and outside any cache lock, so a slow close stalls nobody. What
 * leaves on its own (idleness, capacity) is then handed to the {@link Evictions}, which
 * decide whether the backends' sessions end too.</li>
 * <li>Idle entries leave when their time is up, woken by the scheduler, not at the next
 * use of the cache: a pod without traffic lets go of what it holds.</li>
 * <li>Restores are single-flight: concurrent misses for one id share one restore, which
 * runs outside the cache's locks.</li>
 * <li>When a restored session meets a value already cached, the cached value wins and the
 * restored one is closed; unless the cached value is of an earlier session of the id (a
 * derived id comes back once its record expires), which is replaced.</li>
 * <li>An invalidation that arrives while a restore is in flight makes that restore's
 * result be closed instead of cached.</li>
 * </ul>
 */
public final class LiveSessionCache {

	private final Cache<SessionId, LiveSession> cache;

	private final ConcurrentMap<SessionId, Restore> restores = new ConcurrentHashMap<>();

	private final Executor closer;

	private final Evictions evictions;

	private final SessionMetrics metrics;

	/**
	 * @param idleTimeout how long an unused entry stays: the sessions' idle TTL
	 * @param closer where whatever leaves is closed and handed to {@code evictions}, and
	 * where the cache does its upkeep
	 * @param scheduler wakes the cache when an entry's idle time is up
	 */
	public LiveSessionCache(long capacity, Duration idleTimeout, Executor closer, Ticker ticker, Scheduler scheduler,
			Evictions evictions, SessionMetrics metrics) {
		this.closer = closer;
		this.evictions = evictions;
		this.metrics = metrics;
		this.cache = Caffeine.newBuilder()
			.maximumSize(capacity)
			.expireAfterAccess(idleTimeout)
			.ticker(ticker)
			.scheduler(scheduler)
			.executor(closer)
			.removalListener(this::onRemoval)
			.build();
	}

	public Optional<LiveSession> find(SessionId id) {
		return Optional.ofNullable(this.cache.getIfPresent(id));
	}

	/**
	 * The cached live session of {@code record}'s session, or the result of
	 * {@code restorer}, run once however many callers miss at the same time. A cached
	 * live session of an earlier session of the id (its record expired and the id was
	 * derived again) counts as a miss, and the restored one replaces it.
	 * @throws SessionNotFoundException when the session was invalidated during the
	 * restore
	 */
	public LiveSession getOrRestore(SessionRecord record, Supplier<LiveSession> restorer) {
		SessionId id = record.id();
		LiveSession cached = this.cache.getIfPresent(id);
		boolean current = cached != null && cached.incarnation() >= record.incarnation();
		this.metrics.cacheLookup(current);
		if (current) {
			return cached;
		}
		Restore mine = new Restore();
		Restore inFlight;
		while ((inFlight = this.restores.putIfAbsent(id, mine)) != null) {
			LiveSession shared = inFlight.await();
			// A restore of the earlier session of the id, from a record read before it
			// expired, is no answer for this one's: restored again once it is done.
			if (shared.incarnation() >= record.incarnation()) {
				return shared;
			}
			this.restores.remove(id, inFlight);
		}
		try {
			LiveSession winner = insertRestored(id, restorer.get(), mine);
			mine.result.complete(winner);
			return winner;
		}
		catch (RuntimeException | Error ex) {
			mine.result.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.restores.remove(id, mine);
		}
	}

	/**
	 * Caches {@code live} unless a value of the same session is already there, which
	 * wins. A value of an earlier session of the id is replaced and handed to the
	 * {@link Evictions} as {@linkplain Evictions#superseded superseded}.
	 * @return the value now cached; when it is not {@code live}, {@code live} is closed
	 */
	public LiveSession putIfAbsent(LiveSession live) {
		while (true) {
			LiveSession present = this.cache.asMap().putIfAbsent(live.id(), live);
			if (present == null) {
				this.evictions.cached(live);
				return live;
			}
			if (!present.precedes(live)) {
				closeLater(live);
				return present;
			}
			if (this.cache.asMap().replace(live.id(), present, live)) {
				this.closer.execute(() -> this.evictions.superseded(present));
				this.evictions.cached(live);
				return live;
			}
		}
	}

	/** Caches {@code live}, closing whatever it replaces. */
	public void put(LiveSession live) {
		this.cache.put(live.id(), live);
		this.evictions.cached(live);
	}

	/**
	 * Drops {@code stale}, found to be of a session that has ended while a later one of
	 * its id goes on, and hands it to the {@link Evictions} as superseded; a value cached
	 * in its place is left alone.
	 */
	public void supersede(LiveSession stale) {
		if (this.cache.asMap().remove(stale.id(), stale)) {
			this.closer.execute(() -> this.evictions.superseded(stale));
		}
	}

	/** Drops and closes the live session, including one being restored right now. */
	public void invalidate(SessionId id) {
		Restore inFlight = this.restores.get(id);
		if (inFlight != null) {
			inFlight.invalidated = true;
		}
		this.cache.invalidate(id);
	}

	/** Drops and closes every live session; the sessions themselves live on. */
	public void invalidateAll() {
		this.cache.invalidateAll();
	}

	/** The sessions held now; reading them counts as no use of any. */
	public List<LiveSession> sessions() {
		return List.copyOf(this.cache.asMap().values());
	}

	/** Live sessions held by this pod (an estimate, as Caffeine counts). */
	public long size() {
		return this.cache.estimatedSize();
	}

	/** Runs pending evictions now; for tests and the size gauge. */
	public void cleanUp() {
		this.cache.cleanUp();
	}

	private LiveSession insertRestored(SessionId id, LiveSession restored, Restore flight) {
		if (flight.invalidated) {
			closeLater(restored);
			throw new SessionNotFoundException(id);
		}
		LiveSession winner = putIfAbsent(restored);
		// An invalidation between the check above and the insert found nothing to remove.
		if (flight.invalidated && this.cache.asMap().remove(id, winner)) {
			throw new SessionNotFoundException(id);
		}
		return winner;
	}

	private void onRemoval(SessionId id, LiveSession live, RemovalCause cause) {
		this.metrics.removedFromCache(cause);
		if (live == null) {
			return;
		}
		live.close();
		// Invalidations come from a terminate, which ends the backends' sessions itself,
		// or from a shutdown or a gone record; a replaced value's sessions live on in its
		// replacement, or it was superseded (see putIfAbsent).
		if (cause == RemovalCause.EXPIRED || cause == RemovalCause.SIZE) {
			this.evictions.evicted(live, cause);
		}
	}

	private void closeLater(LiveSession live) {
		this.closer.execute(live::close);
	}

	private static final class Restore {

		final CompletableFuture<LiveSession> result = new CompletableFuture<>();

		volatile boolean invalidated;

		LiveSession await() {
			try {
				return this.result.join();
			}
			catch (CompletionException ex) {
				if (ex.getCause() instanceof RuntimeException runtime) {
					throw runtime;
				}
				throw ex;
			}
		}

	}

}
