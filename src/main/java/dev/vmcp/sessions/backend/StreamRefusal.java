package dev.vmcp.sessions.backend;

/**
 * Why a backend would not open its standalone GET stream.
 */
public enum StreamRefusal {

	/** 404: the backend no longer knows the session. */
	SESSION_LOST,

	/** 409: another connection holds the session's stream already. */
	CONFLICT,

	/** 405: the backend offers no standalone stream. */
	UNSUPPORTED,

	/** The backend could not be reached or answered with another error. */
	FAILED

}
