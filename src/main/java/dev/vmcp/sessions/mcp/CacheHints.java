package dev.vmcp.sessions.mcp;

import java.time.Duration;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The caching hints of a 2026-07-28 result (SEP-2549): how long it stays fresh, and
 * whether a shared cache may serve it to other callers. A list merged from several
 * members is as fresh as its least fresh part and private when any part is.
 *
 * @param ttl how long the result may be considered fresh
 * @param shared {@code cacheScope} {@code public}: no caller's own data
 */
public record CacheHints(Duration ttl, boolean shared) {

	/** The hints a result carries, if it carries a {@code ttlMs}. */
	public static Optional<CacheHints> of(JsonNode result) {
		JsonNode ttl = result.get("ttlMs");
		if (ttl == null || !ttl.isNumber()) {
			return Optional.empty();
		}
		// A negative TTL counts as zero, as the specification tells clients.
		Duration fresh = Duration.ofMillis(Math.max(0, ttl.asLong()));
		return Optional.of(new CacheHints(fresh, "public".equals(result.path("cacheScope").asString(""))));
	}

	/** Hints that hold for both parts of a merged result. */
	public CacheHints and(CacheHints other) {
		return new CacheHints((this.ttl.compareTo(other.ttl) <= 0) ? this.ttl : other.ttl, this.shared && other.shared);
	}

	/** The same hints, {@code elapsed} later. */
	public CacheHints aged(Duration elapsed) {
		Duration left = this.ttl.minus(elapsed);
		return new CacheHints(left.isNegative() ? Duration.ZERO : left, this.shared);
	}

	/** Writes {@code ttlMs} and {@code cacheScope} into {@code result}. */
	public ObjectNode writeTo(ObjectNode result) {
		result.put("ttlMs", this.ttl.toMillis());
		result.put("cacheScope", this.shared ? "public" : "private");
		return result;
	}

}
