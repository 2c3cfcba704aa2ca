package dev.vmcp.sessions.backend;

/**
 * A caller named a backend that is not configured.
 */
public class UnknownBackendException extends RuntimeException {

	public UnknownBackendException(String name) {
		super("Unknown backend '" + name + "'");
	}

}
