package dev.vmcp.sessions.mcp.v2025;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import dev.vmcp.sessions.mcp.EventStreams;
import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.mcp.StreamEvents;
import dev.vmcp.sessions.session.Abbreviated;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.StreamEvent;
import dev.vmcp.sessions.session.TimedEventLog;

/**
 * The events of one stream to a 2025 client, numbered and kept in the event log before
 * they are sent, so that the client can resume the stream on any pod with the id of the
 * last event it got. A 2025-11-25 stream opens with a priming event, and a request's
 * stream may have its connection closed after a while for the client to poll it. An event
 * that cannot be kept (the log is unavailable) is still sent: only its resumption is
 * lost. Guarded by the writer's lock, except the closing timer.
 */
final class KeptStream implements StreamEvents {

	private static final Logger logger = LoggerFactory.getLogger(KeptStream.class);

	private final TimedEventLog log;

	private final McpSignals signals;

	private final SessionId session;

	private final EventId start;

	private final @Nullable Priming priming;

	private long sequence;

	private volatile boolean connectionClosed;

	private volatile @Nullable Future<?> closing;

	/**
	 * @param priming how a 2025-11-25 stream opens and is polled; null for an older
	 * revision's, which gets ids only
	 */
	KeptStream(TimedEventLog log, McpSignals signals, SessionId session, String stream, @Nullable Priming priming) {
		this.log = log;
		this.signals = signals;
		this.session = session;
		this.start = new EventId(stream, 0);
		this.priming = priming;
	}

	@Override
	public String opening() {
		if (this.priming == null) {
			return "";
		}
		keep(new StreamEvent(0, "", false));
		return EventStreams.priming(this.start.toString(), this.priming.retry());
	}

	@Override
	public String event(String json, boolean last) {
		long next = ++this.sequence;
		keep(new StreamEvent(next, json, last));
		if (last) {
			Future<?> timer = this.closing;
			if (timer != null) {
				timer.cancel(false);
			}
		}
		if (this.connectionClosed) {
			this.signals.streamAdvanced(this.session, this.start.stream());
		}
		return EventStreams.event(this.start.at(next).toString(), json);
	}

	@Override
	public boolean resumable() {
		return true;
	}

	@Override
	public void opened(Runnable closeConnection) {
		Priming polled = this.priming;
		Duration pollAfter = (polled != null) ? polled.pollAfter() : null;
		if (polled != null && pollAfter != null) {
			// The closing waits for the writer's lock, which a slow log may hold: not on
			// the timer's own thread.
			this.closing = polled.timer()
				.schedule(() -> Thread.ofVirtual().name("stream-poll").start(closeConnection), pollAfter.toMillis(),
						TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void connectionClosed() {
		this.connectionClosed = true;
	}

	private void keep(StreamEvent event) {
		try {
			this.log.append(this.session, this.start.stream(), event);
		}
		catch (DataAccessException ex) {
			logger.warn("Event {} of a stream of session {} sent without being kept for resumption: {}",
					event.sequence(), Abbreviated.of(this.session), ex.getMessage());
		}
	}

	/**
	 * How a 2025-11-25 stream starts and is polled.
	 *
	 * @param retry how long the client waits before it resumes a stream whose connection
	 * closed
	 * @param pollAfter how long the connection stays open before it is closed for the
	 * client to poll, or null to keep it open
	 * @param timer where the closing waits
	 */
	record Priming(Duration retry, @Nullable Duration pollAfter, ScheduledExecutorService timer) {
	}

}
