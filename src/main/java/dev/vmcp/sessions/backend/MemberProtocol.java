package dev.vmcp.sessions.backend;

import java.util.Locale;

/**
 * Which revision a member is spoken to in ({@code vmcp.backends[i].protocol}): learned by
 * asking it ({@code auto}), or pinned where probing is not wanted.
 */
public enum MemberProtocol {

	/** Ask the member with {@code server/discover}; learned again now and then. */
	AUTO("auto"),

	/** 2026-07-28: stateless requests, no backend session. */
	STATELESS(ProtocolVersions.STATELESS),

	/** A 2025 revision: a backend session opened with {@code initialize}. */
	SESSIONS("2025");

	private final String setting;

	MemberProtocol(String setting) {
		this.setting = setting;
	}

	/**
	 * @param setting {@code auto}, {@code 2026-07-28} or {@code 2025}
	 * @throws IllegalArgumentException for anything else
	 */
	public static MemberProtocol of(String setting) {
		String wanted = setting.strip().toLowerCase(Locale.ROOT);
		for (MemberProtocol protocol : values()) {
			if (protocol.setting.equals(wanted)) {
				return protocol;
			}
		}
		throw new IllegalArgumentException(
				"Unknown member protocol '" + setting + "': use auto, " + ProtocolVersions.STATELESS + " or 2025");
	}

}
