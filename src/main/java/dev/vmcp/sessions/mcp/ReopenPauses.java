package dev.vmcp.sessions.mcp;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.vmcp.sessions.backend.MemberCaller;

/**
 * The pauses before a member's stream that ended or failed is opened again while the
 * client's stream lasts: the first one short, each next one doubled up to
 * {@link #LONGEST}, and the first one again once the member has sent something. A member
 * that stays away is thus asked less and less often, one that came back at once.
 * Thread-safe.
 */
public final class ReopenPauses {

	/** The longest pause between two attempts. */
	public static final Duration LONGEST = Duration.ofSeconds(30);

	private final Duration first;

	private final AtomicReference<Duration> next;

	public ReopenPauses(Duration first) {
		this.first = first;
		this.next = new AtomicReference<>(first);
	}

	/** The member's stream works again: the next failure waits the first pause. */
	public void reset() {
		this.next.set(this.first);
	}

	/**
	 * Runs {@code reopen} on a virtual thread after the next pause, for the same caller
	 * (with its token), unless {@code client} closes first.
	 */
	public void reopenLater(ClientStream client, String threadName, Runnable reopen) {
		if (client.isClosed()) {
			return;
		}
		Duration pause = this.next.getAndUpdate((current) -> min(current.multipliedBy(2), LONGEST));
		Thread.ofVirtual().name(threadName).start(MemberCaller.propagating(() -> {
			if (client.awaitClose(pause)) {
				reopen.run();
			}
		}));
	}

	private static Duration min(Duration one, Duration other) {
		return (one.compareTo(other) <= 0) ? one : other;
	}

}
