package dev.vmcp.sessions.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps clients' stream events in this pod's memory: the event log of the memory store,
 * which serves one pod. Each operation runs inside one {@link ConcurrentMap#compute} on
 * its stream; expiry is checked on every access rather than left to
 * {@link #removeExpired()}. Nothing waits, so calls answer on the caller's thread,
 * already complete.
 */
public final class MemoryEventLog implements EventLog {

	private final ConcurrentMap<Key, Kept> streams = new ConcurrentHashMap<>();

	private final Duration window;

	private final int maxEvents;

	private final Clock clock;

	/**
	 * @param window how long a stream is kept after its last event
	 * @param maxEvents most events kept per stream, the oldest dropped first
	 */
	public MemoryEventLog(Duration window, int maxEvents, Clock clock) {
		if (window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("window must be positive, was " + window);
		}
		if (maxEvents < 1) {
			throw new IllegalArgumentException("maxEvents must be at least 1, was " + maxEvents);
		}
		this.window = window;
		this.maxEvents = maxEvents;
		this.clock = clock;
	}

	@Override
	public CompletionStage<Void> append(SessionId session, String stream, StreamEvent event) {
		return AsyncSessionStore.answeredAtOnce(() -> {
			Instant now = this.clock.instant();
			this.streams.compute(new Key(session, stream), (key, kept) -> {
				Kept live = (kept == null || kept.hasExpired(now)) ? new Kept() : kept;
				live.events.addLast(event);
				while (live.events.size() > this.maxEvents) {
					live.events.removeFirst();
				}
				live.expiresAt = now.plus(this.window);
				return live;
			});
			return null;
		});
	}

	@Override
	public CompletionStage<Optional<List<StreamEvent>>> after(SessionId session, String stream, long sequence) {
		return AsyncSessionStore.answeredAtOnce(() -> {
			Instant now = this.clock.instant();
			AtomicReference<Optional<List<StreamEvent>>> found = new AtomicReference<>(Optional.empty());
			this.streams.computeIfPresent(new Key(session, stream), (key, kept) -> {
				if (kept.hasExpired(now)) {
					return null;
				}
				found.set(Optional.of(kept.events.stream().filter((event) -> event.sequence() > sequence).toList()));
				return kept;
			});
			return found.get();
		});
	}

	/** Frees the memory of expired streams; reads never depend on this having run. */
	public void removeExpired() {
		Instant now = this.clock.instant();
		this.streams.values().removeIf((kept) -> kept.hasExpired(now));
	}

	private record Key(SessionId session, String stream) {
	}

	/** A stream's events; guarded by the map's compute on its key. */
	private static final class Kept {

		private final Deque<StreamEvent> events = new ArrayDeque<>();

		private volatile Instant expiresAt = Instant.MAX;

		boolean hasExpired(Instant now) {
			return !now.isBefore(this.expiresAt);
		}

	}

}
