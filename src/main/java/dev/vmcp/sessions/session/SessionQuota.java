package dev.vmcp.sessions.session;

/**
 * Counts the live sessions of each caller, so that one caller cannot open sessions (and
 * with them, sessions on every backend) without bound.
 * <p>
 * A session holds a slot from its reservation, just before its record is created, until
 * it is terminated or expires (idle or absolute). Implementations are thread-safe; the
 * Redis one counts across every pod.
 */
public interface SessionQuota {

	/**
	 * Takes a slot of {@code session}'s owner for it, if one is free. Slots of sessions
	 * that have ended by themselves (expired) are freed here, when they are needed, not
	 * when they end.
	 * @param session the pending record about to be created: its owner, id and expiry
	 * @throws org.springframework.dao.DataAccessException when the count cannot be read
	 * or written in time
	 */
	QuotaDecision reserve(SessionRecord session);

	/**
	 * Frees the slot of a session that will not live (its record was never created, or it
	 * was terminated). Idempotent: freeing a slot that is not held does nothing.
	 * @throws org.springframework.dao.DataAccessException when the count cannot be
	 * written in time; the slot is then freed later, once the session is found ended
	 */
	void release(String owner, SessionId id);

}
