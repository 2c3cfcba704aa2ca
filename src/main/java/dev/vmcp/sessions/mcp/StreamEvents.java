package dev.vmcp.sessions.mcp;

/**
 * The events of one stream to a client, as its revision wants them: numbered and kept so
 * that the client can resume the stream on any pod (2025), or neither (2026-07-28, which
 * has no resumption: its client sends the request again). Called by one writer at a time,
 * in the order the events are sent.
 */
public interface StreamEvents {

	/** Events without ids, nothing kept: a client gone away ends the stream. */
	StreamEvents NONE = new StreamEvents() {
	};

	/**
	 * What opens the stream, before any message: a priming event (the stream's first id,
	 * no data, how long the client waits before it reconnects) or nothing.
	 */
	default String opening() {
		return "";
	}

	/**
	 * One message as an event, kept first when the stream is resumable.
	 * @param json the message as the client sees it
	 * @param last whether it ends the stream (the response to the request that opened it)
	 */
	default String event(String json, boolean last) {
		return EventStreams.event(json);
	}

	/**
	 * Whether the client can lose the connection without losing the stream: what follows
	 * is kept for it to resume.
	 */
	default boolean resumable() {
		return false;
	}

	/**
	 * The stream is open; {@code closeConnection} closes the client's connection while
	 * the stream goes on, for a revision whose client then polls the stream (resumes it
	 * after the {@code retry} it was told).
	 */
	default void opened(Runnable closeConnection) {
	}

	/**
	 * The client's connection is gone (it went away, or was closed on purpose): what
	 * follows only reaches the client when it resumes the stream.
	 */
	default void connectionClosed() {
	}

}
