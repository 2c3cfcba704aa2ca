package dev.vmcp.sessions.session;

/**
 * A change kept losing to concurrent writers and was given up; the caller may retry.
 */
public class ConcurrentModificationException extends RuntimeException {

	public ConcurrentModificationException(SessionId id) {
		super("Session " + Abbreviated.of(id) + " is changing too fast; try again");
	}

}
