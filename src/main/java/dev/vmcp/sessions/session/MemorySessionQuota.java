package dev.vmcp.sessions.session;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts each caller's live sessions in this pod's memory: the quota of the memory store,
 * which serves one pod.
 * <p>
 * Each slot remembers when its session would end if left unused (its idle deadline, never
 * past its absolute expiry). Only when a caller's slots are all taken are those whose
 * time has come checked against the store: a session still live (it was used meanwhile)
 * keeps its slot until its new deadline, an ended one gives its slot back. Every
 * operation runs inside one {@link ConcurrentMap#compute} on the caller's slots, so two
 * creations of one caller never both take the last slot.
 */
public final class MemorySessionQuota implements SessionQuota {

	/**
	 * Reads the store as a stranger, which the store's contract says changes nothing (no
	 * TTL slides); never an owner binding, which is {@code anonymous} or
	 * {@code hmac:...}.
	 */
	private static final String INSPECTOR = "quota inspector";

	private final int limit;

	private final SessionStore store;

	private final SessionTtl ttl;

	private final ConcurrentMap<String, Map<SessionId, Instant>> slots = new ConcurrentHashMap<>();

	/**
	 * @param limit live sessions allowed per caller
	 * @param store where to check whether a session still lives
	 */
	public MemorySessionQuota(int limit, SessionStore store, SessionTtl ttl) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1, was " + limit);
		}
		this.limit = limit;
		this.store = store;
		this.ttl = ttl;
	}

	@Override
	public QuotaDecision reserve(SessionRecord session) {
		AtomicReference<QuotaDecision> decision = new AtomicReference<>();
		this.slots.compute(session.owner(), (owner, held) -> {
			Map<SessionId, Instant> ids = (held != null) ? held : new HashMap<>();
			if (ids.size() >= this.limit) {
				freeEnded(ids);
			}
			if (ids.size() < this.limit) {
				ids.put(session.id(), this.ttl.now().plus(this.ttl.ttlFor(session)));
				decision.set(new QuotaDecision.Reserved());
			}
			else {
				decision.set(new QuotaDecision.Full(this.limit, untilFirstCheck(ids)));
			}
			return ids.isEmpty() ? null : ids;
		});
		return decision.get();
	}

	@Override
	public void release(String owner, SessionId id) {
		this.slots.computeIfPresent(owner, (key, ids) -> {
			ids.remove(id);
			return ids.isEmpty() ? null : ids;
		});
	}

	/**
	 * Gives back the slots of sessions that have ended, so that the memory of callers
	 * gone for good is freed; the count never depends on this having run.
	 */
	public void removeEnded() {
		for (String owner : this.slots.keySet()) {
			this.slots.computeIfPresent(owner, (key, ids) -> {
				freeEnded(ids);
				return ids.isEmpty() ? null : ids;
			});
		}
	}

	/** Live sessions counted for {@code owner}, ended ones not yet found out included. */
	int heldBy(String owner) {
		Map<SessionId, Instant> ids = this.slots.get(owner);
		return (ids != null) ? ids.size() : 0;
	}

	private void freeEnded(Map<SessionId, Instant> ids) {
		Instant now = this.ttl.now();
		for (Iterator<Map.Entry<SessionId, Instant>> slots = ids.entrySet().iterator(); slots.hasNext();) {
			Map.Entry<SessionId, Instant> slot = slots.next();
			if (slot.getValue().isAfter(now)) {
				continue;
			}
			Optional<Instant> liveUntil = liveUntil(slot.getKey());
			if (liveUntil.isPresent()) {
				slot.setValue(liveUntil.get());
			}
			else {
				slots.remove();
			}
		}
	}

	/** When the session ends if left unused from now on; empty when it has ended. */
	private Optional<Instant> liveUntil(SessionId id) {
		if (!(this.store.load(id, INSPECTOR) instanceof LoadResult.Found found)) {
			return Optional.empty();
		}
		SessionRecord record = found.record();
		Instant idleDeadline = record.lastAccess().plus(this.ttl.idle());
		return Optional.of(idleDeadline.isBefore(record.expiresAt()) ? idleDeadline : record.expiresAt());
	}

	private Duration untilFirstCheck(Map<SessionId, Instant> ids) {
		Instant now = this.ttl.now();
		Instant first = ids.values().stream().min(Instant::compareTo).orElse(now);
		return first.isAfter(now) ? Duration.between(now, first) : Duration.ZERO;
	}

}
