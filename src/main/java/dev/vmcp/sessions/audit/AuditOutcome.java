package dev.vmcp.sessions.audit;

/**
 * How an audited operation ended: answered, answered with a JSON-RPC error, refused by
 * policy (the caller may not do this; nothing reached a member), refused before it could
 * be routed, or (a session) ended by expiry.
 */
public sealed interface AuditOutcome {

	/** Answered without a JSON-RPC error. */
	AuditOutcome OK = new Ok();

	static AuditOutcome error(int code) {
		return new Error(code);
	}

	static AuditOutcome denied(String reason) {
		return new Denied(reason);
	}

	static AuditOutcome expired(String reason) {
		return new Expired(reason);
	}

	static AuditOutcome refused(int code, int httpStatus, String reason) {
		return new Refused(code, httpStatus, reason);
	}

	/**
	 * Answered without a JSON-RPC error (a tool's own {@code isError} result included).
	 */
	record Ok() implements AuditOutcome {
	}

	/**
	 * Answered with a JSON-RPC error, the gateway's or the member's.
	 *
	 * @param code the JSON-RPC error code the client got
	 */
	record Error(int code) implements AuditOutcome {
	}

	/**
	 * Refused by policy: the caller is not bound to what it named, or (per-caller views)
	 * may not use it.
	 *
	 * @param reason why, without any secret or argument value
	 */
	record Denied(String reason) implements AuditOutcome {
	}

	/**
	 * A session ended by expiry, nobody asking.
	 *
	 * @param reason {@code idle} or {@code lifetime}
	 */
	record Expired(String reason) implements AuditOutcome {
	}

	/**
	 * Refused before routing: the request names no session, or one that does not exist,
	 * or fails what its revision requires of it.
	 *
	 * @param code the JSON-RPC error code the client got
	 * @param httpStatus the HTTP status it came with
	 * @param reason why, as the client was told, without any argument value
	 */
	record Refused(int code, int httpStatus, String reason) implements AuditOutcome {
	}

}
