package dev.vmcp.sessions.mcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.backend.MessageSink;
import dev.vmcp.sessions.backend.OpenAnswer;

/**
 * The answer to one client POST: a single JSON body, or an event stream on which a
 * member's notifications and requests reach the client as they arrive, flushed one by
 * one, before the response. Which one is chosen when the first message is ready, from
 * what the member sends and what the client accepts.
 * <p>
 * A stream the client can resume ({@link StreamEvents#resumable()}) outlives the client's
 * connection: when the client goes away, or the connection is closed for it to poll, the
 * member's answer is still read to its end and every event kept, for the client to resume
 * on any pod. Any other stream ends when the client goes away. Thread-safe.
 */
public final class ClientResponse implements MessageSink {

	private final HttpServletResponse response;

	private final ClientAccepts accepts;

	private final JsonMapper json;

	private final ClientDialect dialect;

	private final String member;

	private StreamEvents events = StreamEvents.NONE;

	private boolean started;

	private boolean streaming;

	private @Nullable Consumer<OpenAnswer> restOfAnswer;

	private @Nullable Integer relayedErrorCode;

	private boolean connectionClosed;

	private boolean ended;

	/**
	 * @param member the member whose messages this answer relays, or
	 * {@link McpMetrics#GATEWAY} for the gateway's own
	 */
	public ClientResponse(HttpServletResponse response, ClientAccepts accepts, JsonMapper json, ClientDialect dialect,
			String member) {
		this.response = response;
		this.accepts = accepts;
		this.json = json;
		this.dialect = dialect;
		this.member = member;
	}

	@Override
	public synchronized void begin(boolean streamed) {
		if (this.started) {
			return;
		}
		this.started = true;
		this.streaming = this.accepts.eventStream() && (streamed || !this.accepts.json());
		this.response.setStatus(HttpServletResponse.SC_OK);
		if (this.streaming) {
			EventStreams.prepare(this.response);
			this.events = this.dialect.openStream();
			send(this.events.opening());
			this.events.opened(this::closeConnection);
		}
		else {
			this.response.setContentType("application/json");
		}
	}

	@Override
	public synchronized void message(String text, JsonNode message) {
		if (JsonRpc.isRequest(message) && this.restOfAnswer == null) {
			this.restOfAnswer = this.dialect.park(this.member, message, this);
			if (this.restOfAnswer != null) {
				return;
			}
		}
		if (JsonRpc.isResponse(message) && message.get("error") instanceof JsonNode error) {
			this.relayedErrorCode = error.path("code").asInt(JsonRpc.INTERNAL_ERROR);
		}
		String forClient = this.dialect.forClient(this.member, text, message);
		if (forClient == null) {
			return;
		}
		if (this.streaming) {
			streamEvent(forClient, JsonRpc.isResponse(message));
		}
		else if (JsonRpc.isResponse(message)) {
			this.response.setStatus(this.dialect.status(message));
			writeWhole(forClient);
		}
		// Without a stream, the client can be sent the response alone.
	}

	@Override
	public synchronized @Nullable Consumer<OpenAnswer> restOfAnswer() {
		return this.restOfAnswer;
	}

	/** The JSON-RPC error code of the member's response relayed, if it was an error. */
	synchronized Optional<Integer> relayedErrorCode() {
		return Optional.ofNullable(this.relayedErrorCode);
	}

	/**
	 * The gateway's own answer (or error), when nothing was sent yet or on the stream.
	 */
	public synchronized void answer(JsonNode message) {
		begin(false);
		String text = this.json.writeValueAsString(this.dialect.own(message));
		if (this.streaming) {
			streamEvent(text, true);
		}
		else {
			this.response.setStatus(this.dialect.status(message));
			writeWhole(text);
		}
	}

	private void streamEvent(String json, boolean last) {
		this.ended |= last;
		send(this.events.event(json, last));
	}

	/**
	 * Closes the client's connection while the stream goes on, unless the response was
	 * sent: the client resumes the stream (polls) and the events keep being kept for it.
	 */
	private synchronized void closeConnection() {
		if (this.ended || this.connectionClosed) {
			return;
		}
		this.connectionClosed = true;
		this.events.connectionClosed();
		try {
			// Ends the response (its last chunk): the client sees the stream's connection
			// end, while this thread goes on reading the member's answer.
			this.response.getOutputStream().close();
		}
		catch (IOException ex) {
			// gone already: the same to the client
		}
	}

	/**
	 * A comment on the stream, while the answer waits for something (the client's own
	 * answers): idle connections stay open, and a client gone away is noticed.
	 * @throws UncheckedIOException when the client went away from a stream it cannot
	 * resume (one it can resume goes on, for the client to come back to)
	 */
	public synchronized void keepAlive() {
		if (this.streaming) {
			send(EventStreams.KEEP_ALIVE);
		}
	}

	/**
	 * The whole body at once, with its length: headers and body leave in one piece,
	 * without chunked encoding.
	 */
	private void writeWhole(String text) {
		byte[] body = text.getBytes(StandardCharsets.UTF_8);
		try {
			this.response.setContentLength(body.length);
			this.response.getOutputStream().write(body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The client went away", ex);
		}
	}

	/**
	 * Sends stream text and flushes it. A client gone away ends a stream it cannot
	 * resume; a resumable one goes on without its connection.
	 */
	private void send(String text) {
		if (this.connectionClosed) {
			return;
		}
		try {
			if (!text.isEmpty()) {
				this.response.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
			}
			this.response.flushBuffer();
		}
		catch (IOException ex) {
			if (!this.events.resumable()) {
				throw new UncheckedIOException("The client went away", ex);
			}
			this.connectionClosed = true;
			this.events.connectionClosed();
		}
	}

}
