package dev.vmcp.sessions.backend;

import java.time.Instant;
import java.util.Optional;

/**
 * Opens, resumes and ends MCP sessions on backend servers. Implementations are
 * thread-safe; every call is bounded by the backend's timeouts.
 */
public interface BackendConnector {

	/**
	 * Opens a new MCP session (the initialize handshake) on behalf of {@code client}.
	 * @throws BackendUnavailableException when the backend cannot be reached or refuses
	 */
	BackendConnection open(BackendDefinition backend, ClientProfile client);

	/**
	 * Resumes a session the backend issued earlier, checking that the backend still knows
	 * it.
	 * @return empty when the backend no longer knows the session (it must be
	 * re-initialized)
	 * @throws BackendUnavailableException when the backend cannot be reached
	 */
	Optional<BackendConnection> resume(BackendDefinition backend, String backendSessionId, Instant connectedAt,
			String protocolVersion);

	/** Ends a session on the backend (HTTP DELETE). Failures are logged, not thrown. */
	void terminate(BackendDefinition backend, String backendSessionId);

}
