package dev.vmcp.sessions.session;

/**
 * A change kept losing to concurrent writers and was given up; the caller may retry.
 */
public class SessionContentionException extends RuntimeException {

	public SessionContentionException(SessionId id) {
		super("Session " + Abbreviated.of(id) + " is changing too fast; try again");
	}

}
