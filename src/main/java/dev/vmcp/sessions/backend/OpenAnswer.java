package dev.vmcp.sessions.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;

/**
 * The rest of a member's streamed answer to a call, handed over by the thread that
 * forwarded the call (a question of the member's parked it) to whoever holds the call
 * meanwhile. It has no deadline of its own any more: its holder bounds it, and
 * {@link #close()} cuts it. Reading is for one thread; {@code close} may come from any.
 */
public final class OpenAnswer implements AutoCloseable {

	private final String member;

	private final BackendResponse response;

	private final SseEventReader events;

	private final JsonNode callId;

	private final Function<String, Optional<JsonNode>> parser;

	private final AtomicBoolean closed = new AtomicBoolean();

	OpenAnswer(String member, BackendResponse response, SseEventReader events, JsonNode callId,
			Function<String, Optional<JsonNode>> parser) {
		this.member = member;
		this.response = response;
		this.events = events;
		this.callId = callId;
		this.parser = parser;
		// The call's own time limit no longer applies: the member waits for the client.
		response.deadline().cancel();
	}

	public String member() {
		return this.member;
	}

	/** The id the call was sent to the member with: its response carries it. */
	public JsonNode callId() {
		return this.callId;
	}

	/**
	 * Relays the member's messages to {@code sink} as they arrive, on the calling thread,
	 * up to and including the response to the call, then releases the connection.
	 * @return whether the response came; false when the member ended or broke off its
	 * answer first, or it was closed
	 */
	public boolean relayTo(MessageSink sink) {
		try {
			Optional<SseEvent> event;
			while ((event = this.events.next()).isPresent()) {
				Optional<JsonNode> message = event.get().data().isBlank() ? Optional.empty()
						: this.parser.apply(event.get().data());
				if (message.isPresent()) {
					sink.message(event.get().data(), message.get());
					if (BackendMessenger.isResponseTo(message.get(), this.callId)) {
						return true;
					}
				}
			}
			return false;
		}
		catch (IOException | UncheckedIOException ex) {
			return false;
		}
		finally {
			close();
		}
	}

	/**
	 * Cuts the connection: a read in progress ends, the member sees its stream closed.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.response.close();
		}
	}

	public boolean isClosed() {
		return this.closed.get();
	}

}
