package dev.vmcp.sessions.session;

/**
 * The session was terminated while it was being created; what was opened for it has been
 * closed.
 */
public class SessionTerminatedDuringCreationException extends RuntimeException {

	public SessionTerminatedDuringCreationException(SessionId id) {
		super("Session " + Abbreviated.of(id) + " was terminated while it was being created");
	}

}
