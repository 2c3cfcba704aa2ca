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
	SESSION_LOST,

	/**
	 * The backend answered as one of another revision would (a redeploy from 2025 to
	 * 2026-07-28, or back): its revision must be learned again and the member connected
	 * anew.
	 */
	WRONG_REVISION

}
