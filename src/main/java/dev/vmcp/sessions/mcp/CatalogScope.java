package dev.vmcp.sessions.mcp;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.vmcp.sessions.session.SessionId;

/**
 * Whose merged lists a catalog is: one 2025 session's (its members were initialized with
 * what its client declared, and their lists may differ per session), the stateless view
 * that every 2026-07-28 request of stateless members shares (lists no longer vary per
 * connection), or one caller's view when 2025 members are reached through that caller's
 * sessions.
 *
 * @param key what tells scopes apart
 * @param session the session, for a session's scope
 */
public record CatalogScope(String key, @Nullable SessionId session) {

	/** The lists every 2026-07-28 request sees of stateless members. */
	public static final CatalogScope STATELESS = new CatalogScope("stateless", null);

	public static CatalogScope of(SessionId session) {
		return new CatalogScope("session:" + session.value(), session);
	}

	/** One caller's view, named by something derived from the caller alone. */
	public static CatalogScope view(String derivedKey) {
		return new CatalogScope("view:" + derivedKey, null);
	}

	public Optional<SessionId> sessionId() {
		return Optional.ofNullable(this.session);
	}

}
