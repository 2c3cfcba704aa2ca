package dev.vmcp.sessions.backend;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

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

	private final String protocolVersion;

	private final @Nullable JsonNode initializeResult;

	private final AtomicBoolean closed = new AtomicBoolean();

	public BackendConnection(String backend, String backendSessionId, Instant connectedAt) {
		this(backend, backendSessionId, connectedAt, ProtocolVersions.DEFAULT_BACKEND, null);
	}

	public BackendConnection(String backend, String backendSessionId, Instant connectedAt, String protocolVersion,
			@Nullable JsonNode initializeResult) {
		this.backend = backend;
		this.backendSessionId = backendSessionId;
		this.connectedAt = connectedAt;
		this.protocolVersion = protocolVersion;
		this.initializeResult = initializeResult;
	}

	/**
	 * A member that speaks 2026-07-28: there is no backend session, every request stands
	 * alone.
	 * @param discovered its {@code server/discover} result, standing in for an
	 * {@code initialize} result (capabilities, instructions)
	 */
	public static BackendConnection stateless(String backend, Instant connectedAt, @Nullable JsonNode discovered) {
		return new BackendConnection(backend, "", connectedAt, ProtocolVersions.STATELESS, discovered);
	}

	/** Whether the member speaks 2026-07-28: no session, requests carry their own. */
	public boolean isStateless() {
		return ProtocolVersions.isStateless(this.protocolVersion);
	}

	public String backend() {
		return this.backend;
	}

	/** The {@code Mcp-Session-Id} the backend issued; empty for a stateless backend. */
	public String backendSessionId() {
		return this.backendSessionId;
	}

	/** When the backend's session was initialized; a resume keeps it. */
	public Instant connectedAt() {
		return this.connectedAt;
	}

	/** The revision the backend negotiated, sent in every later request's header. */
	public String protocolVersion() {
		return this.protocolVersion;
	}

	/**
	 * The backend's answer to {@code initialize} (capabilities, instructions), when this
	 * pod initialized the session, or a stateless member's {@code server/discover}
	 * result; a resumed session has none.
	 */
	public Optional<JsonNode> initializeResult() {
		return Optional.ofNullable(this.initializeResult);
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
