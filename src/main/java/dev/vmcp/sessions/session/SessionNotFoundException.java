package dev.vmcp.sessions.session;

/**
 * No session with this id is visible to the caller: unknown, terminated, expired or owned
 * by someone else. One exception for all of these so that callers learn nothing about
 * sessions that are not theirs.
 */
public class SessionNotFoundException extends RuntimeException {

	public SessionNotFoundException(SessionId id) {
		super("Session " + Abbreviated.of(id) + " not found");
	}

}
