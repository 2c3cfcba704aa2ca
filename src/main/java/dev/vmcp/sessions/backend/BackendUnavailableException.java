package dev.vmcp.sessions.backend;

/**
 * A backend could not be reached, timed out or answered with an error.
 */
public class BackendUnavailableException extends RuntimeException {

	public BackendUnavailableException(String message) {
		super(message);
	}

	public BackendUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
