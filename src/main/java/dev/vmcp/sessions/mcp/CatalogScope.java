package dev.vmcp.sessions.mcp;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.vmcp.sessions.session.SessionId;

/**
 * Whose merged lists a catalog is: one 2025 session's (its members were initialized with
 * what its client declared, and their lists may differ per session), or the stateless
 * view that every 2026-07-28 request shares (lists no longer vary per connection).
 *
 * @param session the session, or null for the stateless view
 */
public record CatalogScope(@Nullable SessionId session) {

	/** The lists every 2026-07-28 request sees. */
	public static final CatalogScope STATELESS = new CatalogScope(null);

	public static CatalogScope of(SessionId session) {
		return new CatalogScope(session);
	}

	public Optional<SessionId> sessionId() {
		return Optional.ofNullable(this.session);
	}

}
