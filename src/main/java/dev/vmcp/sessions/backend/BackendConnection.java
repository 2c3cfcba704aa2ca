package dev.vmcp.sessions.backend;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This pod's handle on one backend's MCP session. Closing it is local: the backend's
 * session lives on so that another pod can resume it; ending it on the backend is
 * {@link BackendConnector#terminate}.
 * <p>
 * Thread-safe.
 */
public final class BackendConnection {

	private final String backend;

	private final String backendSessionId;

	private final Instant connectedAt;

	private final AtomicBoolean closed = new AtomicBoolean();

	public BackendConnection(String backend, String backendSessionId, Instant connectedAt) {
		this.backend = backend;
		this.backendSessionId = backendSessionId;
		this.connectedAt = connectedAt;
	}

	public String backend() {
		return this.backend;
	}

	/** The {@code Mcp-Session-Id} the backend issued. */
	public String backendSessionId() {
		return this.backendSessionId;
	}

	/** When the backend's session was initialized; a resume keeps it. */
	public Instant connectedAt() {
		return this.connectedAt;
	}

	/** Releases this pod's hold on the backend session. Idempotent. */
	public void close() {
		this.closed.set(true);
	}

	public boolean isClosed() {
		return this.closed.get();
	}

	@Override
	public String toString() {
		return "BackendConnection[" + this.backend + (isClosed() ? ", closed]" : "]");
	}

}
