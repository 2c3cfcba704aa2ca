package dev.vmcp.sessions.session;

/**
 * A caller sent a session id that cannot have been issued by this service.
 */
public class InvalidSessionIdException extends RuntimeException {

	InvalidSessionIdException(String value) {
		super("Session id must be 16 to " + SessionId.MAX_LENGTH
				+ " URL-safe characters (A-Z, a-z, 0-9, '-', '_'); got " + value.length() + " characters");
	}

}
