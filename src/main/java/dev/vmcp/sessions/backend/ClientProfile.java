package dev.vmcp.sessions.backend;

/**
 * What the MCP client declared when it initialized its session with the gateway; the
 * gateway initializes every backend on the client's behalf with the same declaration, so
 * that a backend never asks the client for something it did not offer, and sees what it
 * did offer.
 *
 * @param protocolVersion the revision negotiated with the client, proposed to backends
 * @param capabilities the client's {@code capabilities} object, as raw JSON text
 */
public record ClientProfile(String protocolVersion, String capabilities) {

	/** What the gateway declares for a session created without an MCP client (REST). */
	public static final ClientProfile NONE = new ClientProfile(ProtocolVersions.DEFAULT_BACKEND, "{}");

}
