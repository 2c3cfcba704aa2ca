package dev.vmcp.sessions.session;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The events the gateway sent on clients' streams, kept for a while so that a client
 * whose connection broke can resume its stream on any pod. Each stream belongs to one
 * session and is named within it, so a stream is found only through its own session. A
 * stream is kept for the replay window after its last event, and only its newest events
 * beyond the most it keeps.
 * <p>
 * Asynchronous: calls return before the log has answered, so that the caller puts a
 * deadline of its own on each one ({@link TimedEventLog}); failures complete the stage
 * exceptionally, as {@code DataAccessException}s. Thread-safe.
 */
public interface EventLog {

	/**
	 * Adds an event at the end of a stream, creating the stream with its first event.
	 * Events of one stream come from one writer, in the order of their sequence.
	 */
	CompletionStage<Void> append(SessionId session, String stream, StreamEvent event);

	/**
	 * The events of a stream that follow {@code sequence}, oldest first.
	 * @return empty when the session has no such stream: never had it, or forgot it
	 */
	CompletionStage<Optional<List<StreamEvent>>> after(SessionId session, String stream, long sequence);

}
