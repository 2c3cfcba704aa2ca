package dev.vmcp.sessions.backend;

/**
 * A backend's whole answer to one of the gateway's own steps.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type}, empty when absent
 * @param sessionId the {@code Mcp-Session-Id}, empty when absent (a stateless backend)
 * @param body the body as text
 */
record BackendReply(int status, String contentType, String sessionId, String body) {

	boolean isSuccess() {
		return this.status / 100 == 2;
	}

}
