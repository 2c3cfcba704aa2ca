package dev.vmcp.sessions.session;

import java.time.Duration;
import java.time.Instant;

/**
 * How a contract test lets time pass and reads the time: real waiting and the wall clock,
 * for an implementation with a clock of its own (Redis); an in-memory one overrides both
 * to move its own clock instead.
 */
public abstract class TimePassingContract {

	/** Lets time pass. */
	protected void passTime(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The implementation's notion of now. */
	protected Instant now() {
		return Instant.now();
	}

}
