package dev.vmcp.sessions.session;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps a live session and its record in step: reconciles the backend connections with
 * the record's hints and writes changed hints back, conditionally on the version read, so
 * that a concurrent terminate always wins and a concurrent metadata change is kept.
 * <p>
 * One live session is synchronized by one thread at a time (its lock); other sessions are
 * not held up.
 */
final class HintSynchronizer {

	private static final int MAX_WRITE_ATTEMPTS = 16;

	private final SessionStore store;

	private final LiveSessionCache cache;

	private final BackendReconciler reconciler;

	private final Clock clock;

	HintSynchronizer(SessionStore store, LiveSessionCache cache, BackendReconciler reconciler, Clock clock) {
		this.store = store;
		this.cache = cache;
		this.reconciler = reconciler;
		this.clock = clock;
	}

	/**
	 * Reconciles the live session with the record and writes changed hints back,
	 * conditionally; returns the record as it now stands. A record older than the one
	 * this live session was last synchronized with gives way to that one, so that two
	 * requests racing on one pod reconnect a backend once, not twice; so does a record of
	 * an earlier session of the id, read just before it expired.
	 */
	SessionRecord synchronize(LiveSession live, SessionRecord record) {
		SessionRecord base = newest(live, record);
		if (!this.reconciler.needsWork(live, base)) {
			return base;
		}
		live.lock().lock();
		try {
			base = newest(live, record);
			if (!this.reconciler.needsWork(live, base)) {
				return base;
			}
			SessionRecord synced = synchronizeLocked(live, base);
			live.markSynced(synced);
			return synced;
		}
		finally {
			live.lock().unlock();
		}
	}

	private static SessionRecord newest(LiveSession live, SessionRecord record) {
		return live.synced().isNewerThan(record) ? live.synced() : record;
	}

	private SessionRecord synchronizeLocked(LiveSession live, SessionRecord record) {
		SessionRecord current = record;
		Map<String, BackendHint> hints = this.reconciler.reconcile(live, current);
		for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
			if (hints.equals(current.hints())) {
				return current;
			}
			SessionRecord next = current.withHints(hints).successor(this.clock.instant());
			UpdateOutcome outcome = this.store.update(next, current.version());
			if (outcome == UpdateOutcome.UPDATED) {
				return next;
			}
			Map<String, BackendHint> opened = added(hints, current.hints());
			if (outcome != UpdateOutcome.CONFLICT) {
				this.reconciler.terminateOnBackends(opened);
				this.cache.invalidate(record.id());
				throw new SessionNotFoundException(record.id());
			}
			SessionRecord reloaded = reload(record.id());
			if (reloaded.incarnation() != live.incarnation()) {
				// The session has ended and a later one has its id (a caller session's):
				// what was opened for it, and what it held, are ended; the caller reads
				// the later one's record again.
				this.reconciler.terminateOnBackends(opened);
				this.cache.supersede(live);
				throw new SessionNotFoundException(record.id());
			}
			Map<String, BackendHint> kept = stillWanted(opened, current.hints(), reloaded.hints());
			this.reconciler.terminateOnBackends(without(opened, kept.keySet()));
			current = reloaded;
			hints = this.reconciler.reconcile(live, reloaded.withHints(overlay(reloaded.hints(), kept)));
		}
		return current;
	}

	/**
	 * Hints in {@code after} that were not in {@code before}: backend sessions we opened.
	 */
	private static Map<String, BackendHint> added(Map<String, BackendHint> after, Map<String, BackendHint> before) {
		Map<String, BackendHint> added = new LinkedHashMap<>(after);
		added.entrySet().removeIf((entry) -> entry.getValue().equals(before.get(entry.getKey())));
		return added;
	}

	/**
	 * The sessions we opened that are still wanted after losing a write to another
	 * writer: those whose backend nobody else touched meanwhile (the other write changed
	 * something else, metadata say). Where another pod moved a backend on, its choice
	 * wins.
	 */
	private static Map<String, BackendHint> stillWanted(Map<String, BackendHint> opened,
			Map<String, BackendHint> before, Map<String, BackendHint> now) {
		Map<String, BackendHint> kept = new LinkedHashMap<>(opened);
		kept.keySet().removeIf((backend) -> !Objects.equals(before.get(backend), now.get(backend)));
		return kept;
	}

	private static Map<String, BackendHint> without(Map<String, BackendHint> hints, Set<String> backends) {
		Map<String, BackendHint> remaining = new LinkedHashMap<>(hints);
		remaining.keySet().removeAll(backends);
		return remaining;
	}

	private static Map<String, BackendHint> overlay(Map<String, BackendHint> base, Map<String, BackendHint> top) {
		Map<String, BackendHint> merged = new LinkedHashMap<>(base);
		merged.putAll(top);
		return merged;
	}

	private SessionRecord reload(SessionId id) {
		if (this.store.load(id) instanceof LoadResult.Found found && found.record().state() == SessionState.ACTIVE) {
			return found.record();
		}
		this.cache.invalidate(id);
		throw new SessionNotFoundException(id);
	}

}
