package dev.vmcp.sessions.session;

/**
 * A caller named a configured backend that is not a member of the session.
 */
public class BackendNotInSessionException extends RuntimeException {

	public BackendNotInSessionException(String backend) {
		super("Backend '" + backend + "' is not a member of this session");
	}

}
