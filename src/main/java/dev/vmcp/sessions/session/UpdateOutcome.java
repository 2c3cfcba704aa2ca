package dev.vmcp.sessions.session;

/**
 * Result of a conditional {@link SessionStore#update}.
 */
public enum UpdateOutcome {

	/** Written. */
	UPDATED,

	/** No record (never existed or expired); nothing was created. */
	ABSENT,

	/** The session was terminated; the tombstone stays. */
	TERMINATED,

	/** Another writer got there first: the stored version is not the expected one. */
	CONFLICT

}
