package dev.vmcp.sessions.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How long records live: a sliding idle TTL capped by each record's absolute expiry, and
 * a short life for tombstones. Shared by every store so that they agree.
 *
 * @param idle sliding idle TTL
 * @param tombstone how long a terminated session stays known as terminated
 * @param clock the time source; tests inject their own
 */
public record SessionTtl(Duration idle, Duration tombstone, Clock clock) {

	public Instant now() {
		return this.clock.instant();
	}

	/** Time to live for a record accessed now: the idle TTL, never past its expiry. */
	public Duration ttlFor(SessionRecord record) {
		Duration untilExpiry = Duration.between(now(), record.expiresAt());
		return untilExpiry.compareTo(this.idle) < 0 ? untilExpiry : this.idle;
	}

}
