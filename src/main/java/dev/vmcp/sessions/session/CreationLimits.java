package dev.vmcp.sessions.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits on creating sessions, each caller on its own: how fast it may create them
 * (per pod) and how many it may hold live (across every pod). A session is refused before
 * anything is opened for it, so a flooding caller costs the backends nothing.
 */
public final class CreationLimits {

	private static final Logger logger = LoggerFactory.getLogger(CreationLimits.class);

	private final SessionQuota quota;

	private final CreationRateLimiter rate;

	private final boolean adminExempt;

	/**
	 * @param adminExempt whether callers with the administrator scope create without
	 * limits
	 */
	public CreationLimits(SessionQuota quota, CreationRateLimiter rate, boolean adminExempt) {
		this.quota = quota;
		this.rate = rate;
		this.adminExempt = adminExempt;
	}

	/**
	 * Lets one creation of {@code caller} through, at its rate.
	 * @throws CreationRateExceededException when the caller creates faster than it may
	 */
	void admit(Caller caller) {
		if (isExempt(caller)) {
			return;
		}
		this.rate.acquire(caller.owner()).ifPresent((wait) -> {
			throw new CreationRateExceededException(wait);
		});
	}

	/**
	 * Takes a slot of the owner's quota for a session about to be created.
	 * @return whether a slot was taken, to be released if the session is not created
	 * @throws SessionLimitReachedException when the owner holds as many live sessions as
	 * it may
	 */
	boolean reserve(Caller caller, SessionRecord pending) {
		if (isExempt(caller)) {
			return false;
		}
		if (this.quota.reserve(pending) instanceof QuotaDecision.Full full) {
			throw new SessionLimitReachedException(full.limit(), full.retryAfter());
		}
		return true;
	}

	/**
	 * Frees the slot of a session that ended or was never created. A failure only delays
	 * the slot: it comes back once the session is found ended, at the latest after the
	 * session's idle TTL.
	 */
	void release(String owner, SessionId id) {
		try {
			this.quota.release(owner, id);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not free the quota slot of session {} now; it frees itself later: {}",
					Abbreviated.of(id), ex.getMessage());
		}
	}

	private boolean isExempt(Caller caller) {
		return this.adminExempt && caller.admin();
	}

}
