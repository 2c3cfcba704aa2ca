package dev.vmcp.sessions.session;

import java.time.Instant;

/**
 * What a pod needs to resume one backend's MCP session: the backend's own session id and
 * when that session was initialized.
 *
 * @param backendSessionId the {@code Mcp-Session-Id} the backend issued
 * @param connectedAt when the backend's session was initialized
 */
public record BackendHint(String backendSessionId, Instant connectedAt) {

}
