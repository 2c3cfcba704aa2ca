package dev.vmcp.sessions.session;

/**
 * Tells every pod that a session was terminated, so that each closes what it holds at
 * once instead of at its next request or under cache pressure.
 */
@FunctionalInterface
public interface SessionInvalidations {

	/** The {@link PodBroadcasts} topic that carries them between pods. */
	String TOPIC = "invalidations";

	/**
	 * Best effort, and never throws: a failure is the implementation's to log, and the
	 * per-request check of the record stays the safety net.
	 */
	void publish(SessionId id);

}
