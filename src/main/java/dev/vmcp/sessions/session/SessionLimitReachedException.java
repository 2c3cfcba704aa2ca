package dev.vmcp.sessions.session;

import java.time.Duration;

/**
 * The caller holds as many live sessions as it may: one must end (terminate or expiry)
 * before it may create another.
 */
public final class SessionLimitReachedException extends CreationRefusedException {

	private final int limit;

	public SessionLimitReachedException(int limit, Duration retryAfter) {
		super("This caller holds " + limit + " live sessions, the most it may; terminate one or retry later",
				retryAfter);
		this.limit = limit;
	}

	/** The live sessions a caller may hold. */
	public int limit() {
		return this.limit;
	}

}
