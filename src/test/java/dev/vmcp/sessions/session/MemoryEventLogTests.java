package dev.vmcp.sessions.session;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MemoryEventLogTests extends EventLogContract {

	private static final Duration WINDOW = Duration.ofMinutes(5);

	private final MutableClock clock = MutableClock.startingNow();

	private final MemoryEventLog log = new MemoryEventLog(WINDOW, MAX_EVENTS, this.clock);

	@Override
	protected EventLog log() {
		return this.log;
	}

	@Override
	protected Duration window() {
		return WINDOW;
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
	void theSweepFreesExpiredStreamsOnly() {
		SessionId session = SessionId.generate();
		this.log.append(session, "r-old", new StreamEvent(1, "{}", true));
		passTime(WINDOW.minusSeconds(1));
		this.log.append(session, "r-new", new StreamEvent(1, "{}", false));
		passTime(Duration.ofSeconds(1));

		this.log.removeExpired();

		assertThat(this.log.after(session, "r-new", 0).toCompletableFuture().join()).isPresent();
		assertThat(this.log.after(session, "r-old", 0).toCompletableFuture().join()).isEmpty();
	}

	@Test
	void aWindowOrBoundThatKeepsNothingIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryEventLog(Duration.ZERO, 1, this.clock));
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryEventLog(WINDOW, 0, this.clock));
	}

}
