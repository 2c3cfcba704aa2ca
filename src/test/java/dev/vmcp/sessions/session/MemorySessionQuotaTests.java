package dev.vmcp.sessions.session;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory quota against the shared contract, with a clock moved by hand.
 */
class MemorySessionQuotaTests extends SessionQuotaContract {

	private static final Duration IDLE = Duration.ofMinutes(30);

	private final MutableClock clock = MutableClock.startingNow();

	private final SessionTtl ttl = new SessionTtl(IDLE, Duration.ofMinutes(10), this.clock);

	private final MemorySessionStore store = new MemorySessionStore(this.ttl);

	private final MemorySessionQuota quota = new MemorySessionQuota(LIMIT, this.store, this.ttl);

	@Override
	protected SessionQuota quota() {
		return this.quota;
	}

	@Override
	protected SessionStore store() {
		return this.store;
	}

	@Override
	protected Duration idleTtl() {
		return IDLE;
	}

	@Override
	protected void passTime(Duration duration) {
		this.clock.advance(duration);
	}

	@Override
	protected Instant now() {
		return this.clock.instant();
	}

	@Test
	void theSweeperForgetsCallersWhoseSessionsAllEnded() {
		fill(this.owner);
		passTime(IDLE.plusMinutes(1));
		this.quota.removeEnded();
		assertThat(this.quota.heldBy(this.owner)).isZero();
	}

	@Test
	void theSweeperKeepsTheSlotsOfLiveSessions() {
		fill(this.owner);
		this.quota.removeEnded();
		passTime(IDLE.minusMinutes(1));
		this.quota.removeEnded();
		assertThat(this.quota.heldBy(this.owner)).isEqualTo(LIMIT);
	}

}
