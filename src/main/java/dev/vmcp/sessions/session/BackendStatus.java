package dev.vmcp.sessions.session;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How one member backend of a session stands, as seen from this pod.
 *
 * @param name the backend
 * @param state connected, failed or disconnected
 * @param connectedAt when the backend's current session was initialized, if there is one
 */
public record BackendStatus(String name, State state, @Nullable Instant connectedAt) {

	/** Connection state of a member backend. */
	public enum State {

		/** A backend session is established. */
		CONNECTED,

		/** The last attempt to reach the backend failed; it is retried later. */
		FAILED,

		/** No backend session right now; the next use reconnects it. */
		DISCONNECTED

	}

}
