package dev.vmcp.sessions.backend;

/**
 * No token could be had for a member: the authorization server refused or could not be
 * reached, or the caller presented no token that could be exchanged. The member is
 * unavailable for this request; other members are not concerned.
 */
public class MemberCredentialsException extends BackendUnavailableException {

	public MemberCredentialsException(String message) {
		super(message);
	}

	public MemberCredentialsException(String message, Throwable cause) {
		super(message, cause);
	}

}
