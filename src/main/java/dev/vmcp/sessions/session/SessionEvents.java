package dev.vmcp.sessions.session;

import java.util.Optional;

/**
 * What the session lifecycle tells whoever keeps a record of it (the audit): which
 * sessions started and ended, for whom, and how long that took. Called on the caller's
 * thread once it has happened, from what the lifecycle has at hand (no store call);
 * expiries are told by the store that sees them. Implementations must be quick and must
 * not throw.
 */
public interface SessionEvents {

	/** Tells nobody. */
	SessionEvents NONE = new SessionEvents() {

		@Override
		public void started(Caller caller, SessionRecord session, boolean callerSession, long startNanos) {
		}

		@Override
		public void ended(Caller caller, SessionId id, Ending ending, long startNanos) {
		}

	};

	/**
	 * A session started: created through the REST API or by an MCP {@code initialize}, or
	 * opened by the gateway itself for a caller.
	 * @param callerSession whether the gateway opened it for a 2026-07-28 caller, to
	 * reach a 2025 member on its behalf
	 * @param startNanos {@link System#nanoTime()} when the start was asked for
	 */
	void started(Caller caller, SessionRecord session, boolean callerSession, long startNanos);

	/**
	 * A caller asked to terminate a session.
	 * @param startNanos {@link System#nanoTime()} when the terminate was asked for
	 */
	void ended(Caller caller, SessionId id, Ending ending, long startNanos);

	/**
	 * What the store must keep beside a new session so that {@link #expired} can tell its
	 * expiry; empty when expiries are not told.
	 * @param callerSession whether the gateway opens it for a 2026-07-28 caller
	 */
	default Optional<ExpiryNote> expiryNote(Caller caller, SessionRecord session, boolean callerSession) {
		return Optional.empty();
	}

	/**
	 * A session ended by expiry (idle, or its lifetime over) without anyone asking: told
	 * once per session, by the pod that found it, never for a terminated session. Called
	 * on the store's thread.
	 * @param note what was kept of it, as {@link #expiryNote} made it
	 */
	default void expired(SessionId id, ExpiryNote note) {
	}

	/** How a terminate went. */
	enum Ending {

		/** Terminated (or found terminated already, for its owner). */
		TERMINATED,

		/** No such session: never created, expired, or its tombstone gone too. */
		UNKNOWN,

		/** The session is another caller's: refused, and the session left untouched. */
		REFUSED

	}

}
