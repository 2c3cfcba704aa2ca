package dev.vmcp.sessions.backend;

/**
 * How a message sent on a backend session fared.
 */
public enum Delivery {

	/** The backend took it (and, for a request, answered it). */
	DELIVERED,

	/**
	 * The backend answered 404: it no longer knows the session, which must be
	 * re-initialized.
	 */
	SESSION_LOST

}
