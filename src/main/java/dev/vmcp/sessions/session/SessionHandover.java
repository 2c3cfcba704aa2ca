package dev.vmcp.sessions.session;

import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * How a pod that stops hands the sessions it held or watched to the others, each to
 * exactly one of them: a rolling restart then leaves no backend session behind, and no
 * session is read and ended by every pod at once.
 */
public interface SessionHandover {

	/** With the in-memory store there is no other pod to hand anything to. */
	SessionHandover NONE = new SessionHandover() {

		@Override
		public void handOver(Collection<SessionId> ids, Duration within) {
		}

		@Override
		public void onHandover(Consumer<SessionId> taker) {
		}

	};

	/**
	 * Hands the sessions over and returns once that is done, failed or {@code within} has
	 * passed: for a pod about to stop, whose connections close right after. Never throws;
	 * what is lost is left to the backends' own idle timeouts.
	 */
	void handOver(Collection<SessionId> ids, Duration within);

	/**
	 * From now on, gives {@code taker} each session another pod hands over that this pod
	 * takes (and at once those handed over while no pod was there to take them); called
	 * on a thread of the implementation's.
	 */
	void onHandover(Consumer<SessionId> taker);

}
