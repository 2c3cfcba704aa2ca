package dev.vmcp.sessions.session;

import java.time.Duration;
import java.time.Instant;

import dev.vmcp.sessions.testsupport.MutableClock;

/**
 * The in-memory store of parked calls against the shared contract, with a clock moved by
 * hand.
 */
class MemoryParkedCallStoreTests extends ParkedCallStoreContract {

	private final MutableClock clock = MutableClock.startingNow();

	private final MemoryParkedCallStore store = new MemoryParkedCallStore(this.clock);

	@Override
	protected ParkedCallStore store() {
		return this.store;
	}

	@Override
	protected void passTime(Duration duration) {
		this.clock.advance(duration);
	}

	@Override
	protected Instant now() {
		return this.clock.instant();
	}

}
