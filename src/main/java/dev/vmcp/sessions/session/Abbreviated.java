package dev.vmcp.sessions.session;

/**
 * Session ids are bearer-like secrets: messages and logs show only their first
 * characters.
 */
public final class Abbreviated {

	private static final int SHOWN = 8;

	private Abbreviated() {
	}

	public static String of(SessionId id) {
		return id.value().substring(0, SHOWN) + "…";
	}

}
