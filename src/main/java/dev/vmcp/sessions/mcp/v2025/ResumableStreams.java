package dev.vmcp.sessions.mcp.v2025;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.mcp.StreamEvents;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.TimedEventLog;

/**
 * Opens the streams of 2025 sessions as streams a client can resume: every event gets an
 * id naming its stream and is kept in the event log (for {@code vmcp.mcp.replay-window}).
 * A session that negotiated 2025-11-25 (SEP-1699) also gets a priming event with the
 * {@code retry} to wait, and its requests' streams are closed after
 * {@code vmcp.mcp.stream-poll-interval} for the client to poll them; older revisions'
 * clients may not expect either, so their streams get ids only. Thread-safe.
 */
final class ResumableStreams implements AutoCloseable {

	/** The revision that primes its streams and polls them (SEP-1699). */
	static final String POLLING_REVISION = "2025-11-25";

	private final TimedEventLog log;

	private final McpSignals signals;

	private final ScheduledExecutorService timer;

	private final Duration retry;

	private final @Nullable Duration pollInterval;

	/**
	 * @param retry how long a 2025-11-25 client waits before it resumes a stream whose
	 * connection closed
	 * @param pollInterval how long a request's stream keeps its connection; zero keeps it
	 * until the response
	 */
	ResumableStreams(TimedEventLog log, McpSignals signals, Duration retry, Duration pollInterval) {
		this.log = log;
		this.signals = signals;
		this.retry = retry;
		this.pollInterval = pollInterval.isZero() ? null : pollInterval;
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
				new CustomizableThreadFactory("stream-poll-timer-"));
		// A stream answered before its time leaves no task behind.
		timer.setRemoveOnCancelPolicy(true);
		this.timer = timer;
	}

	/** The stream that answers one request of the session. */
	StreamEvents forRequest(SessionContext context) {
		return forRequest(context.id(), revision(context));
	}

	/** The stream that answers one request of a session of that revision. */
	StreamEvents forRequest(SessionId session, String revision) {
		return new KeptStream(this.log, this.signals, session, EventId.newRequestStream(),
				polls(revision) ? new KeptStream.Priming(this.retry, this.pollInterval, this.timer) : null);
	}

	/**
	 * The session's standalone stream: kept for resumption, never closed for polling (its
	 * keep-alive comments already hold proxies off).
	 */
	StreamEvents forStandalone(SessionContext context) {
		return new KeptStream(this.log, this.signals, context.id(), EventId.newStandaloneStream(),
				polls(revision(context)) ? new KeptStream.Priming(this.retry, null, this.timer) : null);
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

	private static String revision(SessionContext context) {
		return context.session().record().client().protocolVersion();
	}

	private static boolean polls(String revision) {
		return POLLING_REVISION.equals(revision);
	}

}
