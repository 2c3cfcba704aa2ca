package dev.vmcp.sessions.session;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;

/**
 * Gives every store call its own deadline, from its own Resilience4j {@link TimeLimiter}:
 * a slow load can never eat into the budget of the write that follows it, because no
 * deadline is shared between two calls.
 * <p>
 * Calls run on a bounded executor; when it is full the call fails at once as unavailable
 * instead of queueing without bound.
 */
public final class TimedSessionStore implements SessionStore {

	/**
	 * TimeLimiter instance names, configurable under resilience4j.timelimiter.instances.
	 */
	public static final String LOAD = "session-load";

	public static final String CREATE = "session-create";

	public static final String UPDATE = "session-update";

	public static final String TERMINATE = "session-terminate";

	private final SessionStore delegate;

	private final ExecutorService executor;

	private final TimeLimiter loadLimiter;

	private final TimeLimiter createLimiter;

	private final TimeLimiter updateLimiter;

	private final TimeLimiter terminateLimiter;

	private final SessionMetrics metrics;

	public TimedSessionStore(SessionStore delegate, TimeLimiterRegistry limiters, ExecutorService executor,
			SessionMetrics metrics) {
		this.delegate = delegate;
		this.executor = executor;
		this.metrics = metrics;
		this.loadLimiter = limiters.timeLimiter(LOAD);
		this.createLimiter = limiters.timeLimiter(CREATE);
		this.updateLimiter = limiters.timeLimiter(UPDATE);
		this.terminateLimiter = limiters.timeLimiter(TERMINATE);
	}

	@Override
	public boolean create(SessionRecord record) {
		return timed(this.createLimiter, () -> this.delegate.create(record));
	}

	@Override
	public LoadResult load(SessionId id, String reader) {
		return timed(this.loadLimiter, () -> this.delegate.load(id, reader));
	}

	@Override
	public UpdateOutcome update(SessionRecord next, long expectedVersion) {
		SessionStore.requireSuccessorVersion(next, expectedVersion);
		return timed(this.updateLimiter, () -> this.delegate.update(next, expectedVersion));
	}

	@Override
	public Optional<SessionRecord> terminate(SessionId id, String owner) {
		return timed(this.terminateLimiter, () -> this.delegate.terminate(id, owner));
	}

	private <T> T timed(TimeLimiter limiter, Callable<T> call) {
		long started = System.nanoTime();
		String outcome = "error";
		try {
			T result = limiter.executeFutureSupplier(() -> this.executor.submit(call));
			outcome = "ok";
			return result;
		}
		catch (TimeoutException ex) {
			outcome = "timeout";
			throw new StoreUnavailableException("Session store did not answer within "
					+ limiter.getTimeLimiterConfig().getTimeoutDuration().toMillis() + " ms (" + limiter.getName()
					+ ")", ex);
		}
		catch (RejectedExecutionException ex) {
			throw new StoreUnavailableException("Too many session store calls in flight", ex);
		}
		catch (ExecutionException ex) {
			throw rethrow(ex.getCause());
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw rethrow(ex);
		}
		finally {
			this.metrics.storeCall(limiter.getName().replace("session-", ""), outcome,
					Duration.ofNanos(System.nanoTime() - started));
		}
	}

	private static RuntimeException rethrow(Throwable cause) {
		if (cause instanceof RuntimeException runtime) {
			return runtime;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new StoreUnavailableException("Session store call failed", cause);
	}

}
