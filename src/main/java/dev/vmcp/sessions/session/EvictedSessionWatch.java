package dev.vmcp.sessions.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vmcp.sessions.backend.BackendConnection;

/**
 * Ends the backend sessions of the sessions this pod evicted (idle, or for capacity) once
 * their record is gone, so that a session left to expire does not keep its backend
 * sessions open for ever.
 * <p>
 * Eviction alone must not end them: another pod may be serving the session with the same
 * backend sessions. So the record is read as nobody's (which slides no TTL and records no
 * access): expired or terminated, each backend's session is ended (HTTP DELETE); still
 * live, it is read again when it would expire, for as long as it lives, unless the
 * session comes back into this pod's cache (its next eviction is watched instead). The
 * pod whose entry expires last may well find the record live for a few more milliseconds;
 * the read at the record's own expiry, a {@link #RECHECK_MARGIN} later, ends it.
 * <p>
 * A pod that stops names what it held and watched on {@link #HANDOVER_TOPIC}, each with
 * the backend sessions it knew of ({@link #handOver}); the others {@link #adopt} those
 * sessions, so that a rolling restart leaves nothing behind. The backend sessions travel
 * with the name because the record may be gone by the time another pod reads it: a
 * session's record expires a moment before the cache entry of the pod that used it last,
 * and that pod may stop in between.
 * <p>
 * A caller session's id is derived, so once its record expires the same id may name a new
 * session at once. A watch knows which session of the id it watches
 * ({@link SessionRecord#incarnation()}): a record of a later one means that its session
 * has ended.
 * <p>
 * Bounded: at most {@code maxWatched} sessions are watched and at most
 * {@value #MAX_CONCURRENT_CHECKS} reads are in flight, so that a mass expiry never crowds
 * out the requests' own store calls. What is not watched (too many, a store failure, a
 * pod that crashed, a handover lost) is left to the backends' own idle timeouts.
 * Thread-safe.
 */
public final class EvictedSessionWatch implements Evictions {

	/**
	 * The {@link PodBroadcasts} topic on which a pod that stops names the sessions it
	 * held or watched, so that the others watch them in its place.
	 */
	public static final String HANDOVER_TOPIC = "handover";

	/**
	 * The reader of the watch's loads: no owner binding ({@code anonymous},
	 * {@code hmac:…}) looks like it, so the store treats it as a stranger and changes
	 * nothing.
	 */
	static final String NOBODY = "vmcp:eviction-watch";

	/**
	 * How long after a record's computed expiry it is read again: the record's expiry is
	 * reckoned from its last access, written by whichever pod's clock, while the store
	 * expires it by its own; a second covers their difference many times over, and a
	 * record found live again is only looked at once more.
	 */
	static final Duration RECHECK_MARGIN = Duration.ofSeconds(1);

	/** Store reads of the watch in flight at once. */
	static final int MAX_CONCURRENT_CHECKS = 8;

	private static final Logger logger = LoggerFactory.getLogger(EvictedSessionWatch.class);

	private final SessionStore store;

	private final BackendReconciler reconciler;

	private final Duration idleTtl;

	private final Clock clock;

	private final Scheduler scheduler;

	private final Executor executor;

	private final SessionMetrics metrics;

	private final long maxWatched;

	private final ConcurrentMap<SessionId, Watch> watched = new ConcurrentHashMap<>();

	private final Semaphore checks = new Semaphore(MAX_CONCURRENT_CHECKS);

	private volatile boolean stopped;

	/**
	 * @param idleTtl the sessions' idle TTL
	 * @param scheduler when later reads are due
	 * @param executor where they run; they block on the store
	 * @param maxWatched most sessions watched at once
	 */
	public EvictedSessionWatch(SessionStore store, BackendReconciler reconciler, Duration idleTtl, Clock clock,
			Scheduler scheduler, Executor executor, SessionMetrics metrics, long maxWatched) {
		this.store = store;
		this.reconciler = reconciler;
		this.idleTtl = idleTtl;
		this.clock = clock;
		this.scheduler = scheduler;
		this.executor = executor;
		this.metrics = metrics;
		this.maxWatched = maxWatched;
	}

	/**
	 * Reads the record at once when the session was idle here for a whole TTL; after a
	 * capacity eviction, when it would expire if nobody used it again: it was in use
	 * moments ago.
	 */
	@Override
	public void evicted(LiveSession live, RemovalCause cause) {
		if (this.stopped) {
			return;
		}
		Watch watch = new Watch(live.id(), live.incarnation(), backendSessionsOf(live));
		if (!admit(watch)) {
			logger.debug("Too many evicted sessions watched; the backend sessions of {} are left to the backends",
					Abbreviated.of(live.id()));
			this.metrics.evictionChecked("unwatched");
			return;
		}
		if (cause == RemovalCause.EXPIRED) {
			check(watch);
		}
		else {
			checkLater(watch, this.idleTtl);
		}
	}

	/**
	 * Stops watching a session that is back in the cache; its next eviction is watched
	 * instead. A watch of an earlier session of the id ends that one's backend sessions
	 * now: it has ended.
	 */
	@Override
	public void cached(LiveSession live) {
		if (this.watched.isEmpty()) {
			return;
		}
		Watch watch = this.watched.get(live.id());
		// A watch of a later session than the one cached (read from a record that had
		// just expired) goes on.
		if (watch == null || watch.incarnation > live.incarnation() || !this.watched.remove(live.id(), watch)) {
			return;
		}
		watch.cancel();
		if (watch.incarnation != HandedOverSession.UNKNOWN_INCARNATION && watch.incarnation < live.incarnation()) {
			end(watch);
		}
	}

	@Override
	public void superseded(LiveSession stale) {
		logger.debug("Session {} was superseded by a later session of its id; ending its backend sessions",
				Abbreviated.of(stale.id()));
		this.metrics.evictionChecked("ended");
		this.reconciler.endSessions(backendSessionsOf(stale));
	}

	/**
	 * Watches a session another pod held or watched until it stopped, so that its backend
	 * sessions end with its record even if no pod uses it again. The record is read at
	 * once; when it is gone already, or is of a later session of the id, the backend
	 * sessions the stopping pod named are ended.
	 */
	public void adopt(SessionId id, HandedOverSession handedOver) {
		if (this.stopped || joinedExistingWatch(id, handedOver)) {
			return;
		}
		Watch watch = new Watch(id, handedOver.incarnation(), handedOver.backendSessions());
		if (!admit(watch)) {
			this.metrics.evictionChecked("unwatched");
			return;
		}
		try {
			this.executor.execute(() -> check(watch));
		}
		catch (RejectedExecutionException ex) {
			this.watched.remove(id, watch);
		}
	}

	/**
	 * Adds what a stopping pod knew of a session watched here already to its watch. Of
	 * two sessions of the id, the earlier has ended, and its backend sessions are ended
	 * at once.
	 * @return whether the handover needs no watch of its own
	 */
	private boolean joinedExistingWatch(SessionId id, HandedOverSession handedOver) {
		Watch existing = this.watched.get(id);
		if (existing == null) {
			return false;
		}
		long handedOverIncarnation = handedOver.incarnation();
		boolean bothKnown = existing.incarnation != HandedOverSession.UNKNOWN_INCARNATION
				&& handedOverIncarnation != HandedOverSession.UNKNOWN_INCARNATION;
		if (bothKnown && existing.incarnation < handedOverIncarnation) {
			if (this.watched.remove(id, existing)) {
				existing.cancel();
				end(existing);
			}
			return false;
		}
		if (bothKnown && existing.incarnation > handedOverIncarnation) {
			this.metrics.evictionChecked("ended");
			this.reconciler.endSessions(handedOver.backendSessions());
			return true;
		}
		existing.backendSessions = merged(existing.backendSessions, handedOver.backendSessions());
		return true;
	}

	/** The ids of the sessions watched now. */
	public Set<SessionId> ids() {
		return Set.copyOf(this.watched.keySet());
	}

	/** Sessions watched now; for the gauge and tests. */
	public int size() {
		return this.watched.size();
	}

	/**
	 * Stops watching, for a pod that stops: what it watches and what it holds
	 * ({@code held}) is to be watched by the other pods.
	 * @return each session to hand over, with the backend sessions this pod knows of
	 */
	public Map<SessionId, HandedOverSession> handOver(Collection<LiveSession> held) {
		Map<SessionId, HandedOverSession> handedOver = new LinkedHashMap<>();
		held.forEach((live) -> handedOver.put(live.id(),
				new HandedOverSession(live.incarnation(), backendSessionsOf(live))));
		this.watched.forEach((id, watch) -> handedOver.merge(id,
				new HandedOverSession(watch.incarnation, watch.backendSessions), this::combined));
		// Stopped before anything is published, so that this pod does not adopt its own
		// sessions back.
		stop();
		return handedOver;
	}

	/**
	 * Two accounts of one id, held and watched: merged when they are of the same session
	 * (or one does not say which); otherwise the later, the earlier having ended, its
	 * backend sessions ended now.
	 */
	private HandedOverSession combined(HandedOverSession held, HandedOverSession watched) {
		long unknown = HandedOverSession.UNKNOWN_INCARNATION;
		if (held.incarnation() == watched.incarnation() || held.incarnation() == unknown
				|| watched.incarnation() == unknown) {
			return new HandedOverSession(Math.max(held.incarnation(), watched.incarnation()),
					merged(held.backendSessions(), watched.backendSessions()));
		}
		HandedOverSession earlier = (held.incarnation() < watched.incarnation()) ? held : watched;
		this.reconciler.endSessions(earlier.backendSessions());
		return (earlier == held) ? watched : held;
	}

	/**
	 * Stops watching: pending reads are dropped. The sessions watched are left to other
	 * pods and to the backends' idle timeouts.
	 */
	public void stop() {
		this.stopped = true;
		this.watched.values().forEach(Watch::cancel);
		this.watched.clear();
	}

	private boolean admit(Watch watch) {
		Watch previous = this.watched.put(watch.id, watch);
		if (previous != null) {
			previous.cancel();
			return true;
		}
		if (this.watched.size() > this.maxWatched) {
			this.watched.remove(watch.id, watch);
			return false;
		}
		return true;
	}

	private void check(Watch watch) {
		if (!isCurrent(watch)) {
			return;
		}
		LoadResult loaded;
		try {
			loaded = loadWithoutTouching(watch.id);
		}
		catch (RuntimeException ex) {
			this.watched.remove(watch.id, watch);
			logger.warn("Could not read the record of evicted session {}: {}; its backend sessions are left to "
					+ "the backends' idle timeouts", Abbreviated.of(watch.id), ex.getMessage());
			this.metrics.evictionChecked("failed");
			return;
		}
		if (loaded instanceof LoadResult.Found found && watch.isOf(found.record())) {
			this.metrics.evictionChecked("live");
			watch.incarnation = found.record().incarnation();
			watch.backendSessions = merged(BackendHint.sessionIds(found.record().hints()), watch.backendSessions);
			checkLater(watch, untilExpiry(found.record()));
			return;
		}
		if (this.watched.remove(watch.id, watch)) {
			end(watch);
		}
	}

	private void end(Watch watch) {
		logger.debug("Evicted session {} has ended; ending its backend sessions", Abbreviated.of(watch.id));
		this.metrics.evictionChecked("ended");
		this.reconciler.endSessions(watch.backendSessions);
	}

	private LoadResult loadWithoutTouching(SessionId id) {
		this.checks.acquireUninterruptibly();
		try {
			return this.store.load(id, NOBODY);
		}
		finally {
			this.checks.release();
		}
	}

	private void checkLater(Watch watch, Duration delay) {
		try {
			watch.scheduled(this.scheduler.schedule(this.executor, () -> check(watch),
					delay.plus(RECHECK_MARGIN).toNanos(), TimeUnit.NANOSECONDS));
		}
		catch (RejectedExecutionException ex) {
			// The pod is stopping: its sessions are left to others.
			this.watched.remove(watch.id, watch);
		}
	}

	private boolean isCurrent(Watch watch) {
		return !this.stopped && this.watched.get(watch.id) == watch;
	}

	/**
	 * When the record expires if nobody uses it: its idle TTL, capped by its lifetime.
	 */
	private Duration untilExpiry(SessionRecord record) {
		Instant idleEnd = record.lastAccess().plus(this.idleTtl);
		Instant end = idleEnd.isBefore(record.expiresAt()) ? idleEnd : record.expiresAt();
		Duration left = Duration.between(this.clock.instant(), end);
		return left.isNegative() ? Duration.ZERO : left;
	}

	/**
	 * The backend sessions a live session knows of: those of the record it last saw, and
	 * those it holds for the other backends.
	 */
	private static Map<String, String> backendSessionsOf(LiveSession live) {
		Map<String, String> held = new LinkedHashMap<>();
		for (BackendConnection connection : live.connections()) {
			held.put(connection.backend(), connection.backendSessionId());
		}
		return merged(BackendHint.sessionIds(live.synced().hints()), held);
	}

	/**
	 * The record's backend sessions, and where it has none for a backend, the session
	 * known here: a backend another pod has moved on to a new session keeps only the new
	 * one.
	 */
	private static Map<String, String> merged(Map<String, String> recorded, Map<String, String> known) {
		Map<String, String> merged = new LinkedHashMap<>(recorded);
		known.forEach(merged::putIfAbsent);
		return merged;
	}

	/** One evicted session being watched. */
	private static final class Watch {

		final SessionId id;

		/**
		 * Which session of the id is watched, learnt from the first record read when a
		 * stopping pod did not say.
		 */
		volatile long incarnation;

		/**
		 * The backend sessions to end once the record is gone: session ids by backend.
		 */
		volatile Map<String, String> backendSessions;

		private @Nullable Future<?> pending;

		private boolean cancelled;

		Watch(SessionId id, long incarnation, Map<String, String> backendSessions) {
			this.id = id;
			this.incarnation = incarnation;
			this.backendSessions = backendSessions;
		}

		/**
		 * Whether {@code record} is of the session watched, not a later one of its id.
		 */
		boolean isOf(SessionRecord record) {
			return this.incarnation == HandedOverSession.UNKNOWN_INCARNATION
					|| this.incarnation == record.incarnation();
		}

		synchronized void scheduled(Future<?> next) {
			this.pending = next;
			if (this.cancelled) {
				next.cancel(false);
			}
		}

		synchronized void cancel() {
			this.cancelled = true;
			if (this.pending != null) {
				this.pending.cancel(false);
			}
		}

	}

}
