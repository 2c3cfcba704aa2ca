package dev.vmcp.sessions.security;

/**
 * A request presented credentials the service cannot use: credentials sent to a service
 * running without an identity provider, or a token without a subject.
 */
public class UnverifiableCredentialsException extends RuntimeException {

	public UnverifiableCredentialsException(String message) {
		super(message);
	}

}
