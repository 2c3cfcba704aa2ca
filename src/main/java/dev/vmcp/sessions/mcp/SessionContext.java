package dev.vmcp.sessions.mcp;

import dev.vmcp.sessions.session.Abbreviated;
import dev.vmcp.sessions.session.ActiveSession;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.SessionId;

/**
 * The session one client request works on, and who sent it. A member that lost its
 * backend session is reconnected mid-request, so the session in use may be replaced.
 * Thread-safe.
 */
final class SessionContext {

	private final Caller caller;

	private volatile ActiveSession session;

	SessionContext(Caller caller, ActiveSession session) {
		this.caller = caller;
		this.session = session;
	}

	Caller caller() {
		return this.caller;
	}

	ActiveSession session() {
		return this.session;
	}

	SessionId id() {
		return this.session.record().id();
	}

	/** The first characters of the session id: logs never show a whole one. */
	String shortId() {
		return Abbreviated.of(id());
	}

	void replace(ActiveSession reconnected) {
		this.session = reconnected;
	}

}
