package dev.vmcp.sessions.session;

/**
 * The metadata of a session would exceed its size limit.
 */
public class MetadataTooLargeException extends RuntimeException {

	public MetadataTooLargeException(long size, long limit) {
		super("Session metadata would be " + size + " bytes; the limit is " + limit + " bytes");
	}

}
