package dev.vmcp.sessions.session;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory store against the shared contract, with a clock moved by hand.
 */
class MemorySessionStoreTests extends SessionStoreContract {

	private static final Duration IDLE = Duration.ofMinutes(30);

	private final MutableClock clock = MutableClock.startingNow();

	private final MemorySessionStore store = new MemorySessionStore(
			new SessionTtl(IDLE, Duration.ofMinutes(10), this.clock));

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
	void sweeperFreesExpiredRecordsAndTombstones() {
		SessionRecord expiring = newRecord();
		SessionRecord terminated = newRecord();
		this.store.create(expiring);
		this.store.create(terminated);
		this.store.terminate(terminated.id(), OWNER);
		passTime(IDLE.plusMinutes(1));
		this.store.removeExpired();
		assertThat(this.store.entryCount()).isZero();
	}

}
