package dev.vmcp.sessions.session;

import java.time.Duration;

/** The caller creates sessions faster than it may. */
public final class CreationRateExceededException extends CreationRefusedException {

	public CreationRateExceededException(Duration retryAfter) {
		super("This caller creates sessions faster than it may; retry later", retryAfter);
	}

}
