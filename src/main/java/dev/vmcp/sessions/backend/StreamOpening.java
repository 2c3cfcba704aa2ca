package dev.vmcp.sessions.backend;

/**
 * The outcome of opening a backend's standalone GET stream.
 */
public sealed interface StreamOpening {

	/** The backend streams; the stream runs until closed by either side. */
	record Opened(BackendStream stream) implements StreamOpening {
	}

	/** The backend would not open the stream. */
	enum Refused implements StreamOpening {

		/** 404: the backend no longer knows the session. */
		SESSION_LOST,

		/** 409: another connection holds the session's stream already. */
		CONFLICT,

		/** 405: the backend offers no standalone stream. */
		UNSUPPORTED

	}

}
