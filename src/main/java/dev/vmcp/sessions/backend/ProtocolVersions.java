package dev.vmcp.sessions.backend;

import java.util.List;

/**
 * The MCP protocol revisions the gateway speaks, on both sides.
 */
public final class ProtocolVersions {

	/** Newest first. */
	public static final List<String> SUPPORTED = List.of("2025-11-25", "2025-06-18", "2025-03-26");

	public static final String LATEST = SUPPORTED.get(0);

	/** Proposed to backends of sessions that no MCP client initialized. */
	public static final String DEFAULT_BACKEND = "2025-06-18";

	private ProtocolVersions() {
	}

	public static boolean isSupported(String version) {
		return SUPPORTED.contains(version);
	}

	/** The client's requested revision when supported, else the newest. */
	public static String negotiate(String requested) {
		return isSupported(requested) ? requested : LATEST;
	}

}
