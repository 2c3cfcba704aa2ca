package dev.vmcp.sessions.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vmcp.sessions.backend.BackendCatalog;
import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendConnector;
import dev.vmcp.sessions.backend.BackendDefinition;
import dev.vmcp.sessions.backend.ClientProfile;

/**
 * Brings a live session's connections in line with its record, one backend at a time and
 * all backends in parallel: resumes hinted sessions, re-initializes those a backend has
 * forgotten or another pod marked expired, retries failed backends after a pause.
 * <p>
 * A backend that cannot be reached keeps its place in the membership and its hint: it is
 * failed on this pod, not removed from the session.
 */
public final class BackendReconciler {

	private static final Logger logger = LoggerFactory.getLogger(BackendReconciler.class);

	private final BackendCatalog catalog;

	private final BackendConnector connector;

	private final Executor executor;

	private final Clock clock;

	private final Duration retryInterval;

	private final SessionMetrics metrics;

	public BackendReconciler(BackendCatalog catalog, BackendConnector connector, Executor executor, Clock clock,
			Duration retryInterval, SessionMetrics metrics) {
		this.metrics = metrics;
		this.catalog = catalog;
		this.connector = connector;
		this.executor = executor;
		this.clock = clock;
		this.retryInterval = retryInterval;
	}

	/**
	 * Opens a fresh session on each backend, in parallel.
	 * @return the hints of the backends that opened; failures are recorded on
	 * {@code live}
	 */
	Map<String, BackendHint> openAll(LiveSession live, List<String> backends, ClientProfile client) {
		return reconcile(live, backends, Map.of(), client);
	}

	/**
	 * Reconciles {@code live} with {@code record}.
	 * @return the hints the record should hold now; equal to the record's when nothing
	 * changed
	 */
	Map<String, BackendHint> reconcile(LiveSession live, SessionRecord record) {
		return reconcile(live, record.backends(), record.hints(), record.client());
	}

	/**
	 * Whether {@link #reconcile} would do any work; cheap, no I/O, so that the hot path
	 * of a cached session in sync costs nothing but the record load.
	 */
	boolean needsWork(LiveSession live, SessionRecord record) {
		for (String name : record.backends()) {
			if (this.catalog.find(name).isPresent() && !isSettled(live, name, record.hints().get(name))) {
				return true;
			}
		}
		return false;
	}

	/** Ends backend sessions on the backends themselves (HTTP DELETE), asynchronously. */
	void terminateOnBackends(Map<String, BackendHint> hints) {
		endSessions(BackendHint.sessionIds(hints));
	}

	/**
	 * Ends backend sessions, given by their ids by backend, on the backends themselves
	 * (HTTP DELETE), asynchronously.
	 */
	void endSessions(Map<String, String> sessionIds) {
		sessionIds.forEach((name, sessionId) -> {
			// A 2026-07-28 member's connection has no session (an empty id): nothing to
			// end.
			if (!sessionId.isEmpty()) {
				this.catalog.find(name).ifPresent((backend) -> {
					logger.debug("Ending session {} at backend {}", abbreviated(sessionId), name);
					this.executor.execute(() -> this.connector.terminate(backend, sessionId));
				});
			}
		});
	}

	private Map<String, BackendHint> reconcile(LiveSession live, List<String> backends, Map<String, BackendHint> hints,
			ClientProfile client) {
		Map<String, CompletableFuture<Optional<BackendHint>>> pending = new LinkedHashMap<>();
		for (String name : backends) {
			BackendHint hint = hints.get(name);
			pending.put(name,
					CompletableFuture.supplyAsync(() -> reconcileOne(live, name, hint, client), this.executor));
		}
		Map<String, BackendHint> result = new LinkedHashMap<>();
		pending.forEach((name, future) -> future.join().ifPresent((hint) -> result.put(name, hint)));
		return result;
	}

	private Optional<BackendHint> reconcileOne(LiveSession live, String name, @Nullable BackendHint hint,
			ClientProfile client) {
		Optional<BackendDefinition> backend = this.catalog.find(name);
		if (backend.isEmpty()) {
			return Optional.ofNullable(hint);
		}
		if (isSettled(live, name, hint)) {
			return Optional.ofNullable(hint);
		}
		live.detach(name);
		try {
			return Optional.of(connect(live, backend.get(), hint, client));
		}
		catch (RuntimeException ex) {
			// Whatever went wrong talking to this backend, it is this backend that
			// failed;
			// the session and its other backends carry on.
			logger.warn("Backend {} unavailable: {}", name, ex.getMessage());
			this.metrics.backendConnectFailed(name);
			live.markFailed(name, this.clock.instant());
			return Optional.ofNullable(hint);
		}
	}

	private BackendHint connect(LiveSession live, BackendDefinition backend, @Nullable BackendHint hint,
			ClientProfile client) {
		if (hint != null) {
			Optional<BackendConnection> resumed = this.connector.resume(backend, hint.backendSessionId(),
					hint.connectedAt(), hint.protocolVersion());
			if (resumed.isPresent()) {
				live.attach(resumed.get());
				return hint;
			}
		}
		BackendConnection opened = this.connector.open(backend, client);
		if (!opened.isStateless()) {
			logger.debug("Session {} opened session {} at backend {}", Abbreviated.of(live.id()),
					abbreviated(opened.backendSessionId()), backend.name());
		}
		live.attach(opened);
		return new BackendHint(opened.backendSessionId(), opened.connectedAt(), opened.protocolVersion());
	}

	/** A backend's session id, like ours, is a bearer secret: logs show its start. */
	private static String abbreviated(String backendSessionId) {
		return (backendSessionId.length() > 8) ? backendSessionId.substring(0, 8) + "…" : backendSessionId;
	}

	/** Connected to the hinted session, or failed too recently to try again. */
	private boolean isSettled(LiveSession live, String name, @Nullable BackendHint hint) {
		Optional<BackendConnection> held = live.connection(name);
		if (held.isPresent() && hint != null && held.get().backendSessionId().equals(hint.backendSessionId())) {
			return true;
		}
		return held.isEmpty() && recentlyFailed(live, name);
	}

	private boolean recentlyFailed(LiveSession live, String backend) {
		Optional<Instant> failedAt = live.failedAt(backend);
		return failedAt.isPresent() && this.clock.instant().isBefore(failedAt.get().plus(this.retryInterval));
	}

}
