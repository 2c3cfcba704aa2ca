package dev.vmcp.sessions.session;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.vmcp.sessions.backend.BackendCatalog;
import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.ClientProfile;

/**
 * The session lifecycle and the one place for its rules: who may see a session, when a
 * write is conditional, what survives a failure.
 * <p>
 * Every write is conditional on the version read before it, so a terminated session is
 * never written back to life; every store call has its own deadline (see
 * {@link TimedSessionStore}). Thread-safe.
 */
public final class SessionService {

	private static final int MAX_ID_ATTEMPTS = 5;

	private static final int MAX_WRITE_ATTEMPTS = 16;

	private final SessionStore store;

	private final LiveSessionCache cache;

	private final BackendReconciler reconciler;

	private final BackendCatalog catalog;

	private final SessionInvalidations invalidations;

	private final SessionPolicy policy;

	private final Clock clock;

	private final SessionMetrics metrics;

	private final HintSynchronizer hints;

	private final CreationLimits limits;

	private final SessionEvents events;

	public SessionService(SessionStore store, LiveSessionCache cache, BackendReconciler reconciler,
			BackendCatalog catalog, SessionInvalidations invalidations, SessionPolicy policy, Clock clock,
			SessionMetrics metrics, CreationLimits limits, SessionEvents events) {
		this.metrics = metrics;
		this.limits = limits;
		this.events = events;
		this.hints = new HintSynchronizer(store, cache, reconciler, clock);
		this.store = store;
		this.cache = cache;
		this.reconciler = reconciler;
		this.catalog = catalog;
		this.invalidations = invalidations;
		this.policy = policy;
		this.clock = clock;
	}

	/**
	 * Creates a session bound to {@code caller} and opens one backend session per member,
	 * in parallel; a backend that fails does not fail the session.
	 * @param backends the members, or empty for every configured backend
	 * @throws CreationRefusedException when the caller creates too fast or holds as many
	 * live sessions as it may; nothing was opened
	 */
	public SessionSnapshot create(Caller caller, Optional<List<String>> backends, Map<String, String> metadata) {
		return create(caller, backends, metadata, ClientProfile.NONE);
	}

	/**
	 * Creates a session for an MCP client: every backend is initialized on the client's
	 * behalf, with what it declared.
	 */
	public SessionSnapshot create(Caller caller, Optional<List<String>> backends, Map<String, String> metadata,
			ClientProfile client) {
		ActiveSession created = open(caller, backends, metadata, client);
		return snapshot(created.record(), Optional.of(created.live()));
	}

	/**
	 * Creates a session like {@link #create} and returns it in use on this pod.
	 * @throws CreationRefusedException when the caller creates too fast or holds as many
	 * live sessions as it may; nothing was opened
	 */
	public ActiveSession open(Caller caller, Optional<List<String>> backends, Map<String, String> metadata,
			ClientProfile client) {
		long started = System.nanoTime();
		List<String> members = backends.map(this.catalog::requireKnown).orElseGet(this.catalog::names);
		MetadataPatch.requireWithinLimit(metadata, this.policy.metadataMaxBytes());
		this.limits.admit(caller);
		SessionRecord pending = storePending(caller, members, metadata, client);
		LiveSession live = new LiveSession(pending);
		Map<String, BackendHint> hints = this.reconciler.openAll(live, members, client);
		SessionRecord active = pending.activated(hints).successor(this.clock.instant());
		activate(active, pending.version(), live, hints);
		live.markSynced(active);
		this.metrics.created();
		this.events.started(caller, active, false, started);
		return new ActiveSession(active, this.cache.putIfAbsent(live));
	}

	/**
	 * The session with this id in use on this pod, created first when there is none: for
	 * ids that every pod derives alike (a caller session), so that pods find the same
	 * session without asking each other. The store's create-if-absent makes exactly one
	 * of several pods that race the creator; the others use what it created. Counted in
	 * the caller's quota like any session.
	 * @throws SessionNotFoundException when a session of that id was terminated (a
	 * terminated session never comes back)
	 * @throws CreationRefusedException when the caller may not create one now
	 */
	public ActiveSession useOrOpen(Caller caller, SessionId id, List<String> members, ClientProfile client) {
		for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
			LoadResult loaded = this.store.load(id, readerOf(caller));
			if (loaded instanceof LoadResult.Found found && caller.mayAccess(found.record().owner())) {
				if (found.record().state() == SessionState.ACTIVE) {
					try {
						LiveSession live = this.cache.getOrRestore(found.record(), () -> restore(found.record()));
						return new ActiveSession(this.hints.synchronize(live, found.record()), live);
					}
					catch (SessionNotFoundException ex) {
						// It ended while this pod used it (terminated, or expired with a
						// later session of the id at hand): the record is read again.
						continue;
					}
				}
				// Another pod is creating it: its activation follows in moments.
				pause(attempt);
				continue;
			}
			if (!(loaded instanceof LoadResult.Absent)) {
				throw new SessionNotFoundException(id);
			}
			Optional<ActiveSession> created = openAs(id, caller, members, client);
			if (created.isPresent()) {
				return created.get();
			}
		}
		throw new SessionContentionException(id);
	}

	/** Creates the session under {@code id}, unless another pod has just done so. */
	private Optional<ActiveSession> openAs(SessionId id, Caller caller, List<String> members, ClientProfile client) {
		long started = System.nanoTime();
		this.limits.admit(caller);
		Instant now = this.clock.instant();
		SessionRecord pending = SessionRecord.pending(id, now, now.plus(this.policy.maxLifetime()), caller.owner(),
				this.catalog.requireKnown(members), Map.of(), client);
		if (!create(pending, this.limits.reserve(caller, pending), this.events.expiryNote(caller, pending, true))) {
			return Optional.empty();
		}
		LiveSession live = new LiveSession(pending);
		Map<String, BackendHint> hints = this.reconciler.openAll(live, pending.backends(), client);
		SessionRecord active = pending.activated(hints).successor(this.clock.instant());
		activate(active, pending.version(), live, hints);
		live.markSynced(active);
		this.metrics.created();
		this.events.started(caller, active, true, started);
		return Optional.of(new ActiveSession(active, this.cache.putIfAbsent(live)));
	}

	private static void pause(int attempt) {
		try {
			Thread.sleep(Math.min(200, 10L << Math.min(attempt, 5)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while another pod creates the session", ex);
		}
	}

	/** The session, with its backends reconnected where needed. */
	public SessionSnapshot get(Caller caller, SessionId id) {
		ActiveSession session = use(caller, id);
		return snapshot(session.record(), Optional.of(session.live()));
	}

	/**
	 * The session and this pod's connections to its backends, reconnected where needed:
	 * one store call on a cached session in step with its record.
	 */
	public ActiveSession use(Caller caller, SessionId id) {
		SessionRecord record = loadVisible(caller, id);
		LiveSession live = this.cache.getOrRestore(record, () -> restore(record));
		return new ActiveSession(this.hints.synchronize(live, record), live);
	}

	/**
	 * A backend answered that it no longer knows its session: clears that hint (only if
	 * no one has moved the backend on meanwhile) and re-initializes the backend here,
	 * keeping the client's session and its other backends.
	 * @param lostSessionId the backend session id the backend refused
	 */
	public ActiveSession reconnect(Caller caller, SessionId id, String backend, String lostSessionId) {
		SessionRecord record = clearLostHint(caller, id, backend, lostSessionId);
		LiveSession live = this.cache.getOrRestore(record, () -> restore(record));
		live.detachIfSession(backend, lostSessionId);
		return new ActiveSession(this.hints.synchronize(live, record), live);
	}

	private SessionRecord clearLostHint(Caller caller, SessionId id, String backend, String lostSessionId) {
		for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
			SessionRecord record = loadVisible(caller, id);
			BackendHint hint = record.hints().get(backend);
			if (hint == null || !hint.backendSessionId().equals(lostSessionId)) {
				return record;
			}
			SessionRecord next = record.withoutHint(backend).successor(this.clock.instant());
			UpdateOutcome outcome = this.store.update(next, record.version());
			if (outcome == UpdateOutcome.UPDATED) {
				return next;
			}
			requireStillExists(outcome, id);
		}
		throw new SessionContentionException(id);
	}

	/**
	 * Applies a metadata patch. Without {@code ifMatch} a concurrent change is merged by
	 * retrying; with it, a concurrent change is the caller's to resolve.
	 * @throws VersionMismatchException when {@code ifMatch} is not the current version
	 */
	public SessionSnapshot updateMetadata(Caller caller, SessionId id, MetadataPatch patch, OptionalLong ifMatch) {
		for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
			SessionRecord record = loadVisible(caller, id);
			requireVersion(ifMatch, record.version());
			Map<String, String> merged = patch.applyTo(record.metadata());
			MetadataPatch.requireWithinLimit(merged, this.policy.metadataMaxBytes());
			SessionRecord next = record.withMetadata(merged).successor(this.clock.instant());
			UpdateOutcome outcome = this.store.update(next, record.version());
			if (outcome == UpdateOutcome.UPDATED) {
				return snapshot(next, this.cache.find(id));
			}
			requireStillExists(outcome, id);
		}
		throw new SessionContentionException(id);
	}

	/**
	 * Terminates the session: tombstone, free its owner's quota slot, tell every pod,
	 * close local connections, end the backends' sessions. Idempotent for the owner;
	 * others learn nothing.
	 * @throws SessionNotFoundException when there is no such session, or it is another
	 * caller's (which is left untouched)
	 */
	public void terminate(Caller caller, SessionId id) {
		long started = System.nanoTime();
		SessionEvents.Ending ending = end(caller, id);
		this.events.ended(caller, id, ending, started);
		if (ending != SessionEvents.Ending.TERMINATED) {
			throw new SessionNotFoundException(id);
		}
	}

	private SessionEvents.Ending end(Caller caller, SessionId id) {
		LoadResult loaded = this.store.load(id, readerOf(caller));
		if (loaded instanceof LoadResult.Terminated terminated) {
			if (!caller.mayAccess(terminated.owner())) {
				return SessionEvents.Ending.REFUSED;
			}
			// Written again, so that a retry after an unacknowledged terminate (replicas
			// lagging) is acknowledged only once the tombstone is where it must be.
			this.store.terminate(id, terminated.owner());
			this.limits.release(terminated.owner(), id);
			return SessionEvents.Ending.TERMINATED;
		}
		if (!(loaded instanceof LoadResult.Found found)) {
			return SessionEvents.Ending.UNKNOWN;
		}
		if (!caller.mayAccess(found.record().owner())) {
			return SessionEvents.Ending.REFUSED;
		}
		Optional<SessionRecord> replaced;
		try {
			replaced = this.store.terminate(id, found.record().owner());
		}
		catch (RuntimeException ex) {
			// The tombstone may well be written (a replica lagging, an answer too late),
			// and a retry finds only the tombstone, no hints: end what is known now. The
			// caller meant to terminate; at worst the session reconnects its backends.
			endEverywhere(id, found.record());
			throw ex;
		}
		endEverywhere(id, replaced.orElse(found.record()));
		// After the session has ended everywhere: a slow quota key delays nothing else
		this.limits.release(found.record().owner(), id);
		this.metrics.terminated();
		return SessionEvents.Ending.TERMINATED;
	}

	/** Closes the session on every pod and ends its sessions on the backends. */
	private void endEverywhere(SessionId id, SessionRecord record) {
		Map<String, BackendHint> backendSessions = new LinkedHashMap<>(record.hints());
		this.cache.find(id).ifPresent((live) -> addHeldConnections(live, backendSessions));
		this.cache.invalidate(id);
		this.invalidations.publish(id);
		this.reconciler.terminateOnBackends(backendSessions);
	}

	/**
	 * Records that a backend lost its session: its hint is cleared, its membership stays,
	 * and the next use on any pod re-initializes it.
	 */
	public void backendExpired(Caller caller, SessionId id, String backend) {
		this.catalog.requireKnown(List.of(backend));
		for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
			SessionRecord record = loadVisible(caller, id);
			if (!record.backends().contains(backend)) {
				throw new BackendNotInSessionException(backend);
			}
			if (!record.hints().containsKey(backend)) {
				return;
			}
			UpdateOutcome outcome = this.store.update(record.withoutHint(backend).successor(this.clock.instant()),
					record.version());
			if (outcome == UpdateOutcome.UPDATED) {
				// Usually the backend has lost it already; if a pod had just reconnected,
				// the session cleared here must not be left open on the backend.
				this.reconciler.terminateOnBackends(Map.of(backend, record.hints().get(backend)));
				return;
			}
			requireStillExists(outcome, id);
		}
		throw new SessionContentionException(id);
	}

	/** Closes this pod's hold on a session another pod terminated. */
	public void closeLocally(SessionId id) {
		this.metrics.invalidationReceived();
		this.cache.invalidate(id);
	}

	private SessionRecord storePending(Caller caller, List<String> members, Map<String, String> metadata,
			ClientProfile client) {
		for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
			Instant now = this.clock.instant();
			SessionRecord pending = SessionRecord.pending(SessionId.generate(), now,
					now.plus(this.policy.maxLifetime()), caller.owner(), members, metadata, client);
			boolean reserved = this.limits.reserve(caller, pending);
			if (create(pending, reserved, this.events.expiryNote(caller, pending, false))) {
				return pending;
			}
		}
		throw new IllegalStateException("No free session id after " + MAX_ID_ATTEMPTS + " attempts");
	}

	/** Creates the record; a slot taken for a record that was not created is freed. */
	private boolean create(SessionRecord pending, boolean reserved, Optional<ExpiryNote> note) {
		boolean created = false;
		try {
			created = this.store.create(pending, note);
			return created;
		}
		finally {
			if (reserved && !created) {
				this.limits.release(pending.owner(), pending.id());
			}
		}
	}

	/** The conditional write that makes a created session visible; a terminate wins. */
	private void activate(SessionRecord active, long pendingVersion, LiveSession live, Map<String, BackendHint> hints) {
		UpdateOutcome outcome;
		try {
			outcome = this.store.update(active, pendingVersion);
		}
		catch (RuntimeException ex) {
			abandon(live, hints);
			throw ex;
		}
		if (outcome != UpdateOutcome.UPDATED) {
			abandon(live, hints);
			throw new SessionTerminatedDuringCreationException(active.id());
		}
	}

	private void abandon(LiveSession live, Map<String, BackendHint> hints) {
		live.close();
		this.reconciler.terminateOnBackends(hints);
	}

	private LiveSession restore(SessionRecord record) {
		LiveSession live = new LiveSession(record);
		this.hints.synchronize(live, record);
		this.metrics.restored();
		return live;
	}

	/**
	 * The active record, if the caller may see it; a stranger's read leaves it as it was.
	 */
	private SessionRecord loadVisible(Caller caller, SessionId id) {
		LoadResult loaded = this.store.load(id, readerOf(caller));
		if (!(loaded instanceof LoadResult.Found found)) {
			dropLocally(id, loaded);
			throw new SessionNotFoundException(id);
		}
		SessionRecord record = found.record();
		if (record.state() != SessionState.ACTIVE || !caller.mayAccess(record.owner())) {
			throw new SessionNotFoundException(id);
		}
		return record;
	}

	/**
	 * Lets go of a session whose record is gone. An expired one has nobody left to end
	 * its backends' sessions but the pods that still hold them (a terminate ends them
	 * itself).
	 */
	private void dropLocally(SessionId id, LoadResult loaded) {
		if (loaded instanceof LoadResult.Absent) {
			this.cache.find(id).ifPresent((live) -> {
				Map<String, BackendHint> held = new LinkedHashMap<>();
				addHeldConnections(live, held);
				this.reconciler.terminateOnBackends(held);
			});
		}
		this.cache.invalidate(id);
	}

	private static String readerOf(Caller caller) {
		return caller.admin() ? SessionStore.ANY_OWNER : caller.owner();
	}

	private static void requireVersion(OptionalLong ifMatch, long currentVersion) {
		if (ifMatch.isPresent() && ifMatch.getAsLong() != currentVersion) {
			throw new VersionMismatchException(ifMatch.getAsLong(), currentVersion);
		}
	}

	private static void requireStillExists(UpdateOutcome outcome, SessionId id) {
		if (outcome == UpdateOutcome.ABSENT || outcome == UpdateOutcome.TERMINATED) {
			throw new SessionNotFoundException(id);
		}
	}

	private static void addHeldConnections(LiveSession live, Map<String, BackendHint> backendSessions) {
		for (BackendConnection connection : live.connections()) {
			backendSessions.putIfAbsent(connection.backend(),
					new BackendHint(connection.backendSessionId(), connection.connectedAt()));
		}
	}

	private SessionSnapshot snapshot(SessionRecord record, Optional<LiveSession> live) {
		List<BackendStatus> statuses = new ArrayList<>();
		for (String backend : record.backends()) {
			statuses.add(statusOf(backend, record, live));
		}
		return new SessionSnapshot(record, statuses);
	}

	private static BackendStatus statusOf(String backend, SessionRecord record, Optional<LiveSession> live) {
		Optional<BackendConnection> held = live.flatMap((session) -> session.connection(backend));
		if (held.isPresent() && !held.get().isClosed()) {
			return new BackendStatus(backend, BackendStatus.State.CONNECTED, held.get().connectedAt());
		}
		if (live.flatMap((session) -> session.failedAt(backend)).isPresent()) {
			return new BackendStatus(backend, BackendStatus.State.FAILED, null);
		}
		BackendHint hint = record.hints().get(backend);
		return (hint != null && live.isEmpty())
				? new BackendStatus(backend, BackendStatus.State.CONNECTED, hint.connectedAt())
				: new BackendStatus(backend, BackendStatus.State.DISCONNECTED, null);
	}

}
