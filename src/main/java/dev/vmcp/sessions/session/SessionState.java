package dev.vmcp.sessions.session;

/**
 * Where a session record is in its life.
 */
public enum SessionState {

	/** Created, backends being opened; not yet visible to callers. */
	PENDING,

	/** Usable. */
	ACTIVE,

	/** Terminated: a tombstone that makes every later conditional write fail. */
	TERMINATED

}
