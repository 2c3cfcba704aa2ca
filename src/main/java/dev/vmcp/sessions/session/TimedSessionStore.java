package dev.vmcp.sessions.session;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;

/**
 * Gives every store call its own deadline, from its own Resilience4j {@link TimeLimiter}:
 * a slow load can never eat into the budget of the write that follows it, because no
 * deadline is shared between two calls.
 * <p>
 * The limiter watches the store's own asynchronous answer: the calling thread sends the
 * call and waits for the answer or the deadline, whichever comes first, and no other
 * thread is taken per call. When the store's client has too many calls in flight it
 * refuses new ones at once, which surfaces here as the store being unavailable.
 */
public final class TimedSessionStore implements SessionStore {

	/**
	 * TimeLimiter instance names, configurable under resilience4j.timelimiter.instances.
	 */
	public static final String LOAD = "session-load";

	public static final String CREATE = "session-create";

	public static final String UPDATE = "session-update";

	public static final String TERMINATE = "session-terminate";

	private final AsyncSessionStore delegate;

	private final TimedCalls calls;

	private final TimeLimiter loadLimiter;

	private final TimeLimiter createLimiter;

	private final TimeLimiter updateLimiter;

	private final TimeLimiter terminateLimiter;

	/**
	 * @param deadlines where the limiters schedule the end of each call's time
	 */
	public TimedSessionStore(AsyncSessionStore delegate, TimeLimiterRegistry limiters,
			ScheduledExecutorService deadlines, SessionMetrics metrics) {
		this(delegate, limiters, new TimedCalls(deadlines, metrics));
	}

	/**
	 * @param calls how each call is timed (and traced)
	 */
	public TimedSessionStore(AsyncSessionStore delegate, TimeLimiterRegistry limiters, TimedCalls calls) {
		this.delegate = delegate;
		this.calls = calls;
		this.loadLimiter = limiters.timeLimiter(LOAD);
		this.createLimiter = limiters.timeLimiter(CREATE);
		this.updateLimiter = limiters.timeLimiter(UPDATE);
		this.terminateLimiter = limiters.timeLimiter(TERMINATE);
	}

	@Override
	public boolean create(SessionRecord record) {
		return timed(this.createLimiter, () -> this.delegate.createAsync(record));
	}

	@Override
	public boolean create(SessionRecord record, Optional<ExpiryNote> note) {
		return timed(this.createLimiter, () -> this.delegate.createAsync(record, note));
	}

	@Override
	public LoadResult load(SessionId id, String reader) {
		return timed(this.loadLimiter, () -> this.delegate.loadAsync(id, reader));
	}

	@Override
	public UpdateOutcome update(SessionRecord next, long expectedVersion) {
		SessionStore.requireSuccessorVersion(next, expectedVersion);
		return timed(this.updateLimiter, () -> this.delegate.updateAsync(next, expectedVersion));
	}

	@Override
	public Optional<SessionRecord> terminate(SessionId id, String owner) {
		return timed(this.terminateLimiter, () -> this.delegate.terminateAsync(id, owner));
	}

	private <T> T timed(TimeLimiter limiter, Supplier<CompletionStage<T>> call) {
		return this.calls.await(limiter, limiter.getName().replace("session-", ""), call);
	}

}
