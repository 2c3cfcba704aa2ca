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
 * what the member sends and what the client accepts. Thread-safe.
 */
public final class ClientResponse implements MessageSink {

	private final HttpServletResponse response;

	private final ClientAccepts accepts;

	private final JsonMapper json;

	private final ClientDialect dialect;

	private final String member;

	private boolean started;

	private boolean streaming;

	private @Nullable Consumer<OpenAnswer> restOfAnswer;

	private @Nullable Integer relayedErrorCode;

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
			flush();
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
			write(EventStreams.event(forClient));
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
			write(EventStreams.event(text));
		}
		else {
			this.response.setStatus(this.dialect.status(message));
			writeWhole(text);
		}
	}

	/**
	 * A comment on the stream, while the answer waits for something (the client's own
	 * answers): idle connections stay open, and a client gone away is noticed.
	 * @throws UncheckedIOException when the client went away
	 */
	public synchronized void keepAlive() {
		if (this.streaming) {
			write(EventStreams.KEEP_ALIVE);
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

	private void write(String text) {
		try {
			this.response.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
			flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The client went away", ex);
		}
	}

	private void flush() {
		try {
			this.response.flushBuffer();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The client went away", ex);
		}
	}

}
