package dev.vmcp.sessions.session;

import java.util.List;
import java.util.Optional;

import io.github.resilience4j.timelimiter.TimeLimiter;

/**
 * Waits for each call of an {@link EventLog} under its own deadline (the
 * {@value #TIME_LIMITER} time limiter): a log that does not answer in time is
 * {@link StoreUnavailableException unavailable}, never a hang. Thread-safe.
 */
public final class TimedEventLog {

	/**
	 * TimeLimiter instance name, configurable under resilience4j.timelimiter.instances.
	 */
	public static final String TIME_LIMITER = "stream-events";

	private final EventLog log;

	private final TimeLimiter limiter;

	private final TimedCalls calls;

	public TimedEventLog(EventLog log, TimeLimiter limiter, TimedCalls calls) {
		this.log = log;
		this.limiter = limiter;
		this.calls = calls;
	}

	/**
	 * @throws org.springframework.dao.DataAccessException when the event could not be
	 * kept in time
	 * @see EventLog#append(SessionId, String, StreamEvent)
	 */
	public void append(SessionId session, String stream, StreamEvent event) {
		this.calls.await(this.limiter, "events-append", () -> this.log.append(session, stream, event));
	}

	/**
	 * @throws org.springframework.dao.DataAccessException when the events could not be
	 * read in time
	 * @see EventLog#after(SessionId, String, long)
	 */
	public Optional<List<StreamEvent>> after(SessionId session, String stream, long sequence) {
		return this.calls.await(this.limiter, "events-read", () -> this.log.after(session, stream, sequence));
	}

}
