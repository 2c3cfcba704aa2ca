package dev.vmcp.sessions.mcp.v2025;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import dev.vmcp.sessions.mcp.ClientStream;
import dev.vmcp.sessions.mcp.EventStreams;
import dev.vmcp.sessions.mcp.McpException;
import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.session.Abbreviated;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.StreamEvent;
import dev.vmcp.sessions.session.TimedEventLog;

/**
 * Resumes a 2025 client's stream ({@code GET} with {@code Last-Event-ID}) on any pod:
 * sends the events the client missed, from the event log, on the stream they belong to. A
 * request's stream then follows the events the pod running the request keeps adding (a
 * broadcast wakes it, and it reads again every second in case one was lost) until the
 * response, which ends it; a standalone stream goes on as the session's standalone
 * stream. An id that is not the gateway's, or names no stream of the session (another
 * session's, or one forgotten after the replay window), is a 400. Thread-safe.
 */
final class StreamReplays {

	private static final Logger logger = LoggerFactory.getLogger(StreamReplays.class);

	/** How long a relay waits for a wake-up before it reads the log anyway. */
	private static final Duration READ_AGAIN_AFTER = Duration.ofSeconds(1);

	private final TimedEventLog log;

	private final StandaloneStreams standalone;

	private final Duration keepAlive;

	private final ConcurrentMap<String, Set<Semaphore>> waiting = new ConcurrentHashMap<>();

	private final Set<ClientStream> relaying = ConcurrentHashMap.newKeySet();

	StreamReplays(TimedEventLog log, StandaloneStreams standalone, McpSignals signals, Duration keepAlive) {
		this.log = log;
		this.standalone = standalone;
		this.keepAlive = keepAlive;
		signals.onStreamAdvanced((session, stream) -> wake(waitKey(session, stream)));
	}

	/**
	 * Serves a resumed stream on the calling thread until it ends or the client goes
	 * away.
	 * @throws McpException (400) when {@code lastEventId} names no stream of the session
	 * @throws DataAccessException when the log cannot be read in time
	 */
	void resume(SessionContext context, String lastEventId, HttpServletResponse response) {
		EventId last = EventId.parse(lastEventId)
			.orElseThrow(() -> McpException.badRequest("Last-Event-ID is not the id of an event of this gateway"));
		if (!last.answersRequest()) {
			this.standalone.serve(context, response,
					missed(context, last).stream().map((event) -> sse(last, event)).toList());
			return;
		}
		String key = waitKey(context.id(), last.stream());
		Semaphore wakeUp = new Semaphore(0);
		// Waiting before the first read: an event kept meanwhile wakes this relay.
		this.waiting.computeIfAbsent(key, (name) -> ConcurrentHashMap.newKeySet()).add(wakeUp);
		try {
			relay(context, last, missed(context, last), wakeUp, response);
		}
		finally {
			this.waiting.computeIfPresent(key, (name, waiters) -> {
				waiters.remove(wakeUp);
				return waiters.isEmpty() ? null : waiters;
			});
		}
	}

	private List<StreamEvent> missed(SessionContext context, EventId last) {
		return this.log.after(context.id(), last.stream(), last.sequence())
			.orElseThrow(() -> McpException.badRequest("Last-Event-ID names no stream of this session: "
					+ "it is another session's, or its events are older than the replay window"));
	}

	/**
	 * Ends every resumed stream this pod relays (shutting down); clients resume
	 * elsewhere.
	 */
	void endAll() {
		this.relaying.forEach(ClientStream::close);
	}

	/**
	 * Sends the missed events of a request's stream, then those kept after them, until
	 * the response; or until the client goes away, the stream is forgotten (its request's
	 * pod stopped long ago), or the log cannot be read (the client resumes again later).
	 * Keep-alive comments hold idle proxies off meanwhile: a client that polled once is
	 * not made to poll again.
	 */
	private void relay(SessionContext context, EventId last, List<StreamEvent> missed, Semaphore wakeUp,
			HttpServletResponse response) {
		ClientStream stream = new ClientStream(last.stream(), response);
		this.relaying.add(stream);
		try {
			stream.open();
			Instant lastSent = Instant.now();
			EventId sent = last;
			List<StreamEvent> batch = missed;
			while (true) {
				for (StreamEvent event : batch) {
					stream.send(sse(sent, event));
					sent = sent.at(event.sequence());
					lastSent = Instant.now();
					if (event.last()) {
						return;
					}
				}
				if (!lastSent.plus(this.keepAlive).isAfter(Instant.now())) {
					stream.keepAlive();
					lastSent = Instant.now();
				}
				if (stream.isClosed()) {
					return;
				}
				Optional<List<StreamEvent>> next = readAfterWakeUp(context.id(), sent, wakeUp);
				if (next.isEmpty()) {
					return;
				}
				batch = next.get();
			}
		}
		finally {
			stream.close();
			this.relaying.remove(stream);
		}
	}

	private Optional<List<StreamEvent>> readAfterWakeUp(SessionId session, EventId last, Semaphore wakeUp) {
		try {
			if (wakeUp.tryAcquire(READ_AGAIN_AFTER.toMillis(), TimeUnit.MILLISECONDS)) {
				wakeUp.drainPermits();
			}
			return this.log.after(session, last.stream(), last.sequence());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
		catch (DataAccessException ex) {
			logger.warn("A resumed stream of session {} ends: its events cannot be read: {}", Abbreviated.of(session),
					ex.getMessage());
			return Optional.empty();
		}
	}

	private void wake(String key) {
		Set<Semaphore> waiters = this.waiting.get(key);
		if (waiters != null) {
			waiters.forEach(Semaphore::release);
		}
	}

	private static String sse(EventId stream, StreamEvent event) {
		return EventStreams.event(stream.at(event.sequence()).toString(), event.data());
	}

	private static String waitKey(SessionId session, String stream) {
		return session.value() + " " + stream;
	}

}
