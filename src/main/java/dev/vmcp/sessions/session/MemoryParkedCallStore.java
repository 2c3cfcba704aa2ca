package dev.vmcp.sessions.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jspecify.annotations.Nullable;

/**
 * Parked calls in this pod's memory (one pod): expired ones are absent as soon as their
 * time has passed, and removed when next touched. Thread-safe.
 */
public final class MemoryParkedCallStore implements ParkedCallStore {

	private final ConcurrentMap<String, Parked> calls = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Instant> pods = new ConcurrentHashMap<>();

	private final Clock clock;

	public MemoryParkedCallStore(Clock clock) {
		this.clock = clock;
	}

	@Override
	public CompletionStage<Boolean> park(String id, Map<String, String> fields, Duration ttl) {
		return AsyncSessionStore.answeredAtOnce(() -> {
			boolean[] parked = { false };
			this.calls.compute(id, (key, present) -> {
				if (present != null && !present.hasExpired(now())) {
					return present;
				}
				parked[0] = true;
				return new Parked(Map.copyOf(fields), now().plus(ttl));
			});
			return parked[0];
		});
	}

	@Override
	public CompletionStage<Claim> claim(String id, long round, Duration ttl) {
		return AsyncSessionStore.answeredAtOnce(() -> {
			Parked call = live(id);
			if (call == null) {
				return new Claim.Gone();
			}
			synchronized (call) {
				if (call.round != round) {
					return new Claim.Taken();
				}
				call.round++;
				call.expiresAt = now().plus(ttl);
				return new Claim.Claimed(call.fields);
			}
		});
	}

	@Override
	public CompletionStage<Boolean> append(String id, String message) {
		return AsyncSessionStore.answeredAtOnce(() -> {
			Parked call = live(id);
			if (call == null) {
				return false;
			}
			synchronized (call) {
				call.messages.addLast(message);
			}
			return true;
		});
	}

	@Override
	public CompletionStage<Optional<String>> take(String id) {
		return AsyncSessionStore.answeredAtOnce(() -> {
			Parked call = live(id);
			if (call == null) {
				return Optional.empty();
			}
			synchronized (call) {
				return Optional.ofNullable(call.messages.pollFirst());
			}
		});
	}

	@Override
	public CompletionStage<Optional<Duration>> remaining(String id) {
		return AsyncSessionStore.answeredAtOnce(() -> {
			Parked call = live(id);
			return (call != null) ? Optional.of(Duration.between(now(), call.expiresAt)) : Optional.empty();
		});
	}

	@Override
	public CompletionStage<Boolean> extend(String id, Duration ttl) {
		return AsyncSessionStore.answeredAtOnce(() -> {
			Parked call = live(id);
			if (call == null) {
				return false;
			}
			call.expiresAt = now().plus(ttl);
			return true;
		});
	}

	@Override
	public CompletionStage<Void> end(String id) {
		return AsyncSessionStore.answeredAtOnce(() -> {
			this.calls.remove(id);
			return null;
		});
	}

	@Override
	public CompletionStage<Void> beat(String pod, Duration ttl) {
		return AsyncSessionStore.answeredAtOnce(() -> {
			this.pods.put(pod, now().plus(ttl));
			return null;
		});
	}

	@Override
	public CompletionStage<Boolean> alive(String pod) {
		return AsyncSessionStore.answeredAtOnce(() -> {
			Instant until = this.pods.get(pod);
			return until != null && now().isBefore(until);
		});
	}

	/** How many calls are parked, expired ones not yet removed included. */
	public int size() {
		return this.calls.size();
	}

	private @Nullable Parked live(String id) {
		Parked call = this.calls.get(id);
		if (call != null && call.hasExpired(now())) {
			this.calls.remove(id, call);
			return null;
		}
		return call;
	}

	private Instant now() {
		return this.clock.instant();
	}

	private static final class Parked {

		private final Map<String, String> fields;

		private final Deque<String> messages = new ArrayDeque<>();

		private long round;

		private volatile Instant expiresAt;

		Parked(Map<String, String> fields, Instant expiresAt) {
			this.fields = fields;
			this.expiresAt = expiresAt;
		}

		boolean hasExpired(Instant now) {
			return !now.isBefore(this.expiresAt);
		}

	}

}
