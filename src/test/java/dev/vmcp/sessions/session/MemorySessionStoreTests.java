package dev.vmcp.sessions.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

	@Test
	void aSessionThatExpiresIsToldOnceWithItsNoteWhetherSweptOrRead() {
		List<String> told = new ArrayList<>();
		MemorySessionStore watched = new MemorySessionStore(new SessionTtl(IDLE, Duration.ofMinutes(10), this.clock),
				recording(told));
		SessionRecord swept = newRecord();
		SessionRecord read = newRecord();
		SessionRecord terminated = newRecord();
		SessionRecord unnoted = newRecord();
		watched.create(swept, Optional.of(note(false)));
		watched.create(read, Optional.of(note(true)));
		watched.create(terminated, Optional.of(note(false)));
		watched.create(unnoted);
		watched.terminate(terminated.id(), OWNER);
		passTime(IDLE.plusMinutes(1));

		assertThat(watched.load(read.id())).isInstanceOf(LoadResult.Absent.class);
		watched.removeExpired();
		watched.removeExpired();
		assertThat(watched.load(read.id())).isInstanceOf(LoadResult.Absent.class);

		assertThat(told).containsExactlyInAnyOrder(read.id().value() + " caller", swept.id().value() + " client");
	}

	@Test
	void aSessionReadAndUpdatedKeepsItsNoteUntilItExpires() {
		List<String> told = new ArrayList<>();
		MemorySessionStore watched = new MemorySessionStore(new SessionTtl(IDLE, Duration.ofMinutes(10), this.clock),
				recording(told));
		SessionRecord record = newRecord();
		watched.create(record, Optional.of(note(false)));
		passTime(IDLE.minusMinutes(1));
		watched.load(record.id());
		watched.update(record.successor(now()), record.version());
		passTime(IDLE.minusMinutes(1));
		watched.removeExpired();
		assertThat(told).isEmpty();

		passTime(Duration.ofMinutes(2));
		watched.removeExpired();
		assertThat(told).containsExactly(record.id().value() + " client");
	}

	private ExpiryNote note(boolean callerSession) {
		return new ExpiryNote(OWNER, "https://issuer.test", "alice", callerSession, now().plus(Duration.ofDays(1)));
	}

	private static SessionEvents recording(List<String> told) {
		return new SessionEvents() {

			@Override
			public void started(Caller caller, SessionRecord session, boolean callerSession, long startNanos) {
			}

			@Override
			public void ended(Caller caller, SessionId id, Ending ending, long startNanos) {
			}

			@Override
			public void expired(SessionId id, ExpiryNote note) {
				assertThat(note.caller().subject()).isEqualTo("alice");
				told.add(id.value() + (note.callerSession() ? " caller" : " client"));
			}

		};
	}

}
