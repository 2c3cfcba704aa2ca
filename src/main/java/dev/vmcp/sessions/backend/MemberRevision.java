package dev.vmcp.sessions.backend;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a pod learned of the revision a member speaks.
 *
 * @param stateless whether it speaks 2026-07-28 (stateless requests, no session) rather
 * than a 2025 revision
 * @param discovered its {@code server/discover} result, when stateless: capabilities,
 * instructions, caching hints
 */
public record MemberRevision(boolean stateless, @Nullable JsonNode discovered) {

	/** A member that opens sessions with {@code initialize}. */
	public static final MemberRevision SESSIONS = new MemberRevision(false, null);

	public static MemberRevision stateless(JsonNode discovered) {
		return new MemberRevision(true, discovered);
	}

	public Optional<JsonNode> discoverResult() {
		return Optional.ofNullable(this.discovered);
	}

}
