package dev.vmcp.sessions.session;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.github.resilience4j.timelimiter.TimeLimiter;

import dev.vmcp.sessions.tracing.OpenSpan;
import dev.vmcp.sessions.tracing.Traces;

/**
 * Waits for one asynchronous storage call under its own Resilience4j deadline, as
 * {@link TimedSessionStore} does for the store's calls: a call that overruns is
 * {@link StoreUnavailableException unavailable}, never an answer; each call is timed in
 * {@code vmcp.store.operation} under its operation's name, and traced as a client span of
 * Redis when traces are given. Thread-safe.
 */
public final class TimedCalls {

	private static final String DB_SYSTEM = "db.system.name";

	private static final String DB_OPERATION = "db.operation.name";

	private static final String REDIS = "redis";

	private final ScheduledExecutorService deadlines;

	private final SessionMetrics metrics;

	private final Traces traces;

	/**
	 * Untraced calls (the memory store's: nothing leaves the process).
	 * @param deadlines where the limiters schedule the end of each call's time
	 */
	public TimedCalls(ScheduledExecutorService deadlines, SessionMetrics metrics) {
		this(deadlines, metrics, Traces.OFF);
	}

	/**
	 * Calls to Redis, each a client span.
	 * @param deadlines where the limiters schedule the end of each call's time
	 */
	public TimedCalls(ScheduledExecutorService deadlines, SessionMetrics metrics, Traces traces) {
		this.deadlines = deadlines;
		this.metrics = metrics;
		this.traces = traces;
	}

	/**
	 * The answer of {@code call}, waited for until {@code limiter}'s deadline.
	 * @param operation the call's name in the metrics
	 * @throws StoreUnavailableException when the deadline passes first
	 */
	public <T> T await(TimeLimiter limiter, String operation, Supplier<CompletionStage<T>> call) {
		long started = System.nanoTime();
		String outcome = "error";
		OpenSpan span = span(operation);
		try {
			T result = limiter.executeCompletionStage(this.deadlines, call).toCompletableFuture().get();
			outcome = "ok";
			return result;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof TimeoutException timeout) {
				outcome = "timeout";
				span.fail("timeout", "No answer within the deadline");
				throw new StoreUnavailableException("Session store did not answer within "
						+ limiter.getTimeLimiterConfig().getTimeoutDuration().toMillis() + " ms (" + operation + ")",
						timeout);
			}
			span.fail(ex.getCause());
			throw rethrow(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StoreUnavailableException("Interrupted while waiting for the session store", ex);
		}
		finally {
			span.close();
			this.metrics.storeCall(operation, outcome, Duration.ofNanos(System.nanoTime() - started));
		}
	}

	private OpenSpan span(String operation) {
		if (!this.traces.isOn()) {
			return OpenSpan.NONE;
		}
		return this.traces.client(operation, Map.of(DB_SYSTEM, REDIS, DB_OPERATION, operation));
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
