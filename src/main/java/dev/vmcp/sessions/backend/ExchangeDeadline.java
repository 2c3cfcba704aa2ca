package dev.vmcp.sessions.backend;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.core5.concurrent.Cancellable;
import org.jspecify.annotations.Nullable;

/**
 * The time limit of one backend exchange: when it passes, the exchange is cut off, which
 * ends a read blocked on a silent backend; {@link #hasPassed()} then tells a timeout from
 * any other broken connection. Thread-safe.
 */
final class ExchangeDeadline {

	private static final ExchangeDeadline NONE = new ExchangeDeadline(Duration.ZERO);

	private final Duration timeout;

	private final AtomicBoolean passed = new AtomicBoolean();

	private volatile @Nullable ScheduledFuture<?> cutOff;

	private ExchangeDeadline(Duration timeout) {
		this.timeout = timeout;
	}

	/** No limit. */
	static ExchangeDeadline none() {
		return NONE;
	}

	static ExchangeDeadline start(ScheduledExecutorService scheduler, Duration timeout, Cancellable exchange) {
		ExchangeDeadline deadline = new ExchangeDeadline(timeout);
		deadline.cutOff = scheduler.schedule(() -> {
			deadline.passed.set(true);
			exchange.cancel();
		}, timeout.toMillis(), TimeUnit.MILLISECONDS);
		return deadline;
	}

	Duration timeout() {
		return this.timeout;
	}

	boolean hasPassed() {
		return this.passed.get();
	}

	/** The exchange is over: nothing more to cut off. */
	void cancel() {
		ScheduledFuture<?> scheduled = this.cutOff;
		if (scheduled != null) {
			scheduled.cancel(false);
		}
	}

}
