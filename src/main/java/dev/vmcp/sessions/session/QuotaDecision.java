package dev.vmcp.sessions.session;

import java.time.Duration;

/**
 * What {@link SessionQuota#reserve} decided.
 */
public sealed interface QuotaDecision {

	/** The session has its slot. */
	record Reserved() implements QuotaDecision {
	}

	/**
	 * Every slot of the caller is held by a live session.
	 *
	 * @param limit the caller's number of slots
	 * @param retryAfter when the first slot may free itself, if the session holding it
	 * stays unused; a terminate frees one sooner
	 */
	record Full(int limit, Duration retryAfter) implements QuotaDecision {
	}

}
