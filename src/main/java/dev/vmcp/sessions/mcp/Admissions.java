package dev.vmcp.sessions.mcp;

import java.util.function.Supplier;

import org.springframework.http.HttpStatus;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.audit.AuditTrail;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.InvalidSessionIdException;
import dev.vmcp.sessions.session.SessionNotFoundException;

/**
 * The checks a revision makes of a request before routing it (its session, its headers,
 * its revision), whose refusals the audit records: a request refused there never reaches
 * the request flow that audits the routed ones. Thread-safe.
 */
final class Admissions {

	private final AuditTrail audit;

	Admissions(AuditTrail audit) {
		this.audit = audit;
	}

	/**
	 * What {@code check} answers, its refusal audited (for an audited method) and thrown
	 * on.
	 * @param message the request checked, as the client sent it
	 */
	<T> T admit(Caller caller, ObjectNode message, Supplier<T> check) {
		long start = System.nanoTime();
		try {
			return check.get();
		}
		catch (McpException ex) {
			this.audit.refused(caller, message, ex.code(), ex.status().value(), ex.getMessage(), start);
			throw ex;
		}
		catch (SessionNotFoundException | InvalidSessionIdException ex) {
			// Unknown, terminated, expired or another caller's: the client cannot tell
			// them apart, nor can the audit without a store call of its own.
			this.audit.refused(caller, message, JsonRpc.SESSION_NOT_FOUND, HttpStatus.NOT_FOUND.value(),
					"session not found", start);
			throw ex;
		}
	}

}
