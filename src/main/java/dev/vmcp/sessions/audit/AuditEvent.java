package dev.vmcp.sessions.audit;

import org.jspecify.annotations.Nullable;

import dev.vmcp.sessions.session.Caller;

/**
 * One audit event, as the operation left it.
 *
 * @param action the request's method, or {@value #SESSION_START} / {@value #SESSION_END}
 * @param caller who asked
 * @param member the member it went to, or null (the gateway answered; a session)
 * @param name the tool or prompt name, resource URI or task id the client named
 * @param outcome how it ended
 * @param durationNanos how long it took, from the start of its handling
 * @param argumentsDigest the digest of its arguments, when asked for
 * @param sessionId the session, abbreviated (session ids are bearer-like secrets)
 * @param callerSession for a session start, whether the gateway opened it for a
 * 2026-07-28 caller; null otherwise
 */
record AuditEvent(String action, Caller caller, @Nullable String member, @Nullable String name, AuditOutcome outcome,
		long durationNanos, @Nullable String argumentsDigest, @Nullable String sessionId,
		@Nullable Boolean callerSession) {

	static final String SESSION_START = "session-start";

	static final String SESSION_END = "session-end";

	/** An event of an operation that started at {@code startNanos} and ends now. */
	AuditEvent(String action, Caller caller, @Nullable String member, @Nullable String name, AuditOutcome outcome,
			long startNanos) {
		this(action, caller, member, name, outcome, System.nanoTime() - startNanos, null, null, null);
	}

	AuditEvent withArgumentsDigest(@Nullable String digest) {
		return new AuditEvent(this.action, this.caller, this.member, this.name, this.outcome, this.durationNanos,
				digest, this.sessionId, this.callerSession);
	}

	AuditEvent withSession(String abbreviatedId, @Nullable Boolean callerSession) {
		return new AuditEvent(this.action, this.caller, this.member, this.name, this.outcome, this.durationNanos,
				this.argumentsDigest, abbreviatedId, callerSession);
	}

}
