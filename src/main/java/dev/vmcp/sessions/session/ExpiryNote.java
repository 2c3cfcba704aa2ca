package dev.vmcp.sessions.session;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What a store keeps beside a session so that its expiry can be told once its record is
 * gone: who it was for, as the audit names callers, and what kind of session it was.
 * Written once, with the record; never read on a request's path.
 *
 * @param owner the caller's owner binding (or {@value Caller#ANONYMOUS})
 * @param issuer the token's issuer, or null when the audit names callers by their binding
 * alone (then it is never stored)
 * @param subject the token's subject, likewise
 * @param callerSession whether the gateway opened the session for a 2026-07-28 caller
 * @param expiresAt the session's absolute expiry, to tell an idle session from one whose
 * lifetime ran out
 */
public record ExpiryNote(String owner, @Nullable String issuer, @Nullable String subject, boolean callerSession,
		Instant expiresAt) {

	/** The caller the session was for, as far as the note names it. */
	public Caller caller() {
		return new Caller(this.owner, false, this.issuer, this.subject, java.util.Map.of());
	}

}
