package dev.vmcp.sessions.policy;

/**
 * A rule whose condition is not valid CEL (or not a boolean): the service does not start.
 */
public final class PolicyCompilationException extends RuntimeException {

	PolicyCompilationException(String message) {
		super(message);
	}

}
