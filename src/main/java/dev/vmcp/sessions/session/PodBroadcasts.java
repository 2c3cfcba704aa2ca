package dev.vmcp.sessions.session;

import java.time.Duration;
import java.util.Map;

/**
 * Short messages about one session to every pod, this one included: how a pod tells the
 * others to forget what it knows of a session (its catalogs, say) or to let go of
 * something only one pod may hold (a backend's stream). Best effort: a message may be
 * lost while the broker is down, so each use has its own fallback.
 */
public interface PodBroadcasts {

	/** Never throws; failures are the implementation's to log. */
	void publish(String topic, SessionId id, String detail);

	/**
	 * Publishes one message per session, with its detail, and returns once they are all
	 * sent, or failed, or {@code within} has passed: for a pod about to stop, whose
	 * connections close right after. Never throws.
	 */
	default void publishAll(String topic, Map<SessionId, String> details, Duration within) {
		details.forEach((id, detail) -> publish(topic, id, detail));
	}

	/** Receives every later message on {@code topic}, from any pod. */
	void subscribe(String topic, Listener listener);

	/** Receives broadcasts; called on a thread of the implementation's. */
	@FunctionalInterface
	interface Listener {

		void received(SessionId id, String detail);

	}

}
