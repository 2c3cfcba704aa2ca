package dev.vmcp.sessions.audit;

/**
 * How an audited operation ended: answered, answered with a JSON-RPC error, or refused by
 * policy (the caller may not do this; nothing reached a member).
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

}
