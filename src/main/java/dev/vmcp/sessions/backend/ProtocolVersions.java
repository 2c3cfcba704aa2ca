package dev.vmcp.sessions.backend;

import java.util.List;

/**
 * The MCP protocol revisions the gateway speaks, on both sides: the 2025 ones, which open
 * a session with {@code initialize}, and 2026-07-28, which has no sessions and carries
 * its version in every request.
 */
public final class ProtocolVersions {

	/** The revision without sessions. */
	public static final String STATELESS = "2026-07-28";

	/** The revisions with sessions, newest first. */
	public static final List<String> SUPPORTED = List.of("2025-11-25", "2025-06-18", "2025-03-26");

	/**
	 * Every revision the gateway speaks, newest first: what {@code server/discover}
	 * lists.
	 */
	public static final List<String> ALL = List.of(STATELESS, "2025-11-25", "2025-06-18", "2025-03-26");

	public static final String LATEST = SUPPORTED.get(0);

	/** Proposed to backends of sessions that no MCP client initialized. */
	public static final String DEFAULT_BACKEND = "2025-06-18";

	private ProtocolVersions() {
	}

	/** Whether {@code version} is a revision with sessions that the gateway speaks. */
	public static boolean isSupported(String version) {
		return SUPPORTED.contains(version);
	}

	public static boolean isStateless(String version) {
		return STATELESS.equals(version);
	}

	/** The client's requested revision when supported, else the newest. */
	public static String negotiate(String requested) {
		return isSupported(requested) ? requested : LATEST;
	}

}
