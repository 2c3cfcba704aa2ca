package dev.vmcp.sessions.session;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where a call waits between two HTTP requests of its client, so that no pod has to
 * remember it: one record per parked call (a few named fields and the number of rounds
 * resumed so far) with a queue of messages for whoever resumes it, both under one time to
 * live, gone together when it lapses or the call ends; and which pods are alive to hold
 * the calls they hold. Calls return before the store has answered, so that the caller
 * puts its own deadline on each ({@link TimedCalls}); failures complete the stage
 * exceptionally, as {@code DataAccessException}s. Implementations are thread-safe; the
 * Redis one is shared by every pod.
 */
public interface ParkedCallStore {

	/**
	 * Parks a call under {@code id}, unless one is parked there already.
	 * @return whether it was parked
	 */
	CompletionStage<Boolean> park(String id, Map<String, String> fields, Duration ttl);

	/**
	 * Resumes round {@code round} of the call, once: atomically, if the call is still
	 * parked and no one resumed that round yet, counts it resumed and gives the call
	 * {@code ttl} more to live.
	 */
	CompletionStage<Claim> claim(String id, long round, Duration ttl);

	/**
	 * Queues a message for whoever resumes the call.
	 * @return false when the call is no longer parked (the message is dropped)
	 */
	CompletionStage<Boolean> append(String id, String message);

	/** Takes the oldest queued message: each one is taken once, by one taker. */
	CompletionStage<Optional<String>> take(String id);

	/** How long the call has left to live; empty when it is gone. */
	CompletionStage<Optional<Duration>> remaining(String id);

	/**
	 * Gives the call {@code ttl} to live from now.
	 * @return false when it is gone
	 */
	CompletionStage<Boolean> extend(String id, Duration ttl);

	/** Forgets the call and its queue; idempotent. */
	CompletionStage<Void> end(String id);

	/** Says that {@code pod} is alive, for {@code ttl}. */
	CompletionStage<Void> beat(String pod, Duration ttl);

	/** Whether {@code pod} said it is alive, and that has not lapsed. */
	CompletionStage<Boolean> alive(String pod);

	/** How a claim of a round fared. */
	sealed interface Claim {

		/**
		 * The round is the claimer's.
		 *
		 * @param fields the call's fields as parked
		 */
		record Claimed(Map<String, String> fields) implements Claim {
		}

		/** The call is no longer parked: its time lapsed, or it ended. */
		record Gone() implements Claim {
		}

		/** Someone resumed that round already. */
		record Taken() implements Claim {
		}

	}

}
