package dev.vmcp.sessions.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a pod that stops tells the others of a session it held or watched, beside its id
 * (the detail of an {@link EvictedSessionWatch#HANDOVER_TOPIC} message): which session of
 * the id it is, and the backend sessions the pod knew of, so that they can be ended even
 * when the record is gone by the time another pod reads it.
 * <p>
 * Written {@code @<incarnation> <backend>=<session id> …}: backend names have neither
 * {@code @}, {@code =} nor spaces, and session ids are visible ASCII.
 *
 * @param incarnation which session of the id ({@link SessionRecord#incarnation()}), or
 * {@link #UNKNOWN_INCARNATION}
 * @param backendSessions the backend sessions' ids by backend
 */
public record HandedOverSession(long incarnation, Map<String, String> backendSessions) {

	/** The incarnation of a session named by a pod of a version that sent only its id. */
	public static final long UNKNOWN_INCARNATION = -1;

	public HandedOverSession {
		backendSessions = Map.copyOf(backendSessions);
	}

	/**
	 * The message's detail; a 2026-07-28 member's connection, which has no session, is
	 * left out.
	 */
	public String detail() {
		StringJoiner detail = new StringJoiner(" ");
		detail.add("@" + this.incarnation);
		this.backendSessions.forEach((backend, sessionId) -> {
			if (!sessionId.isEmpty()) {
				detail.add(backend + "=" + sessionId);
			}
		});
		return detail.toString();
	}

	/** Reads a {@link #detail()}; what it cannot read is left out. */
	public static HandedOverSession parse(String detail) {
		long incarnation = UNKNOWN_INCARNATION;
		Map<String, String> backendSessions = new LinkedHashMap<>();
		for (String token : detail.split(" ")) {
			int equals = token.indexOf('=');
			if (token.startsWith("@")) {
				incarnation = incarnationIn(token.substring(1));
			}
			else if (equals > 0 && equals < token.length() - 1) {
				backendSessions.put(token.substring(0, equals), token.substring(equals + 1));
			}
		}
		return new HandedOverSession(incarnation, backendSessions);
	}

	private static long incarnationIn(String digits) {
		try {
			return Long.parseLong(digits);
		}
		catch (NumberFormatException ex) {
			return UNKNOWN_INCARNATION;
		}
	}

}
