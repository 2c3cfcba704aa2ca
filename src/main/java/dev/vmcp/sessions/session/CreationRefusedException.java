package dev.vmcp.sessions.session;

import java.time.Duration;

/**
 * A session was not created because its caller reached one of its limits; nothing was
 * opened for it. The caller may try again later.
 */
public abstract sealed class CreationRefusedException extends RuntimeException
		permits SessionLimitReachedException, CreationRateExceededException {

	private final Duration retryAfter;

	CreationRefusedException(String message, Duration retryAfter) {
		super(message);
		this.retryAfter = retryAfter;
	}

	/** How long the caller should wait before trying again. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	/** {@link #retryAfter()} in whole seconds, rounded up and at least 1. */
	public long retryAfterSeconds() {
		long seconds = this.retryAfter.toSeconds() + ((this.retryAfter.toNanosPart() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

}
