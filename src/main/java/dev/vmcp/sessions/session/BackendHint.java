package dev.vmcp.sessions.session;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.vmcp.sessions.backend.ProtocolVersions;

/**
 * What a pod needs to resume one backend's MCP session: the backend's own session id,
 * when that session was initialized and the protocol revision it negotiated.
 *
 * @param backendSessionId the {@code Mcp-Session-Id} the backend issued
 * @param connectedAt when the backend's session was initialized
 * @param protocolVersion the revision the backend negotiated
 */
public record BackendHint(String backendSessionId, Instant connectedAt, String protocolVersion) {

	public BackendHint(String backendSessionId, Instant connectedAt) {
		this(backendSessionId, connectedAt, ProtocolVersions.DEFAULT_BACKEND);
	}

	/** The backend session ids of {@code hints}, by backend. */
	public static Map<String, String> sessionIds(Map<String, BackendHint> hints) {
		Map<String, String> ids = new LinkedHashMap<>();
		hints.forEach((backend, hint) -> ids.put(backend, hint.backendSessionId()));
		return ids;
	}

}
