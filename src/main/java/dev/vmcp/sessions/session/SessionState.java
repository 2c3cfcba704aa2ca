package dev.vmcp.sessions.session;

/**
 * Where a session record is in its life.
 */
public enum SessionState {

	/** Created, backends being opened; not yet visible to callers. */
	PENDING,

	/**
	 * Usable. A terminated session is no record but a tombstone:
	 * {@link LoadResult.Terminated}.
	 */
	ACTIVE

}
