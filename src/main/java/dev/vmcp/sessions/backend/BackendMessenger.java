package dev.vmcp.sessions.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Carries messages on established backend sessions: a client's request forwarded and its
 * answer relayed as it arrives (one JSON body, or an event stream of notifications and
 * server requests ending with the response), notifications and responses posted, and the
 * standalone GET stream. Thread-safe.
 */
public final class BackendMessenger {

	private static final Logger logger = LoggerFactory.getLogger(BackendMessenger.class);

	/** The 2026-07-28 error a server speaking only that revision gives a 2025 request. */
	private static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

	private final BackendHttp http;

	private final JsonMapper json;

	public BackendMessenger(BackendHttp http, JsonMapper json) {
		this.http = http;
		this.json = json;
	}

	/**
	 * Forwards a request and relays everything the backend sends about it, up to and
	 * including its response, to {@code sink}, within the backend's call timeout. The
	 * answer is read on the calling thread.
	 * @param id the request's id, to recognize its response
	 * @throws BackendUnavailableException when the backend cannot be reached, fails, or
	 * does not answer in time
	 */
	public Delivery request(BackendDefinition backend, BackendConnection session, String request, JsonNode id,
			MessageSink sink) {
		return request(backend, session, request, Map.of(), id, sink);
	}

	/**
	 * Forwards a request with headers of its own (those a 2026-07-28 request mirrors from
	 * its body), as
	 * {@link #request(BackendDefinition, BackendConnection, String, JsonNode, MessageSink)}
	 * does. A stateless member's refusal with a JSON-RPC error is its answer, relayed
	 * like any other.
	 */
	public Delivery request(BackendDefinition backend, BackendConnection session, String request,
			Map<String, String> headers, JsonNode id, MessageSink sink) {
		BackendResponse response = this.http.open(backend,
				this.http.post(backend, request, session.backendSessionId(), session.protocolVersion(), headers),
				backend.callTimeout());
		boolean draining = false;
		boolean handedOver = false;
		try {
			if (response.status() == 404 && !session.isStateless()) {
				return Delivery.SESSION_LOST;
			}
			if (response.status() / 100 == 4 && !response.isEventStream()) {
				return relayRefusal(backend, session, response, id, sink);
			}
			requireSuccess(backend, response.status());
			boolean eventStream = response.isEventStream();
			Relayed relayed = eventStream ? relayStream(backend, response, id, sink)
					: relayBody(backend, response, sink);
			if (relayed == Relayed.HANDED_OVER) {
				handedOver = true;
				return Delivery.DELIVERED;
			}
			if (relayed == Relayed.ENDED) {
				throw new BackendUnavailableException(
						"Backend " + backend.name() + " ended its answer without a response");
			}
			draining = eventStream;
			return Delivery.DELIVERED;
		}
		catch (IOException ex) {
			if (response.deadline().hasPassed()) {
				throw BackendHttp.failure(backend, response.deadline(), ex);
			}
			throw new BackendUnavailableException(
					"Backend " + backend.name() + " broke off its answer: " + BackendHttp.describe(ex), ex);
		}
		finally {
			if (draining) {
				drainInBackground(response);
			}
			else if (!handedOver) {
				// (a rest handed over is its new reader's to close)
				response.close();
			}
		}
	}

	/**
	 * A 4xx answer. From a stateless member, a JSON-RPC error for the request is its
	 * answer (2026-07-28 refuses with 400 and 404); anything else, such as a 2025
	 * server's "session id required", says it no longer speaks 2026-07-28. From a member
	 * with sessions, an {@code UnsupportedProtocolVersion} error says it now speaks only
	 * 2026-07-28.
	 */
	private Delivery relayRefusal(BackendDefinition backend, BackendConnection session, BackendResponse response,
			JsonNode id, MessageSink sink) throws IOException {
		String text = response.bodyText();
		Optional<JsonNode> error = text.isBlank() ? Optional.empty()
				: parse(backend, text).filter((message) -> isResponseTo(message, id) && message.has("error"));
		if (session.isStateless()) {
			if (error.isEmpty()) {
				return Delivery.WRONG_REVISION;
			}
			sink.begin(false);
			sink.message(text, error.get());
			return Delivery.DELIVERED;
		}
		if (error.isPresent() && error.get().path("error").path("code").asInt() == UNSUPPORTED_PROTOCOL_VERSION) {
			return Delivery.WRONG_REVISION;
		}
		throw new BackendUnavailableException("Backend " + backend.name() + " answered with HTTP " + response.status());
	}

	/**
	 * Reads what follows the response (the server ends its stream after it) without
	 * holding up the client, so that the connection goes back to the pool instead of
	 * being closed half-read; a server that keeps the stream open is cut off by the
	 * call's deadline.
	 */
	private static void drainInBackground(BackendResponse response) {
		Thread.ofVirtual().name("backend-drain").start(() -> {
			try (response) {
				response.drain();
			}
			catch (IOException ex) {
				// cut off, or the server broke the connection: either way it is released
			}
		});
	}

	/**
	 * Posts a notification or a response (to a request the backend sent).
	 * @throws BackendUnavailableException when the backend cannot be reached or refuses
	 */
	public Delivery post(BackendDefinition backend, BackendConnection session, String message) {
		if (session.isStateless()) {
			// 2026-07-28 has no client notifications to pass on: a request is cancelled
			// by
			// closing its stream, and a stateless member sends no requests to answer.
			return Delivery.DELIVERED;
		}
		BackendReply reply = this.http.exchange(backend,
				this.http.post(backend, message, session.backendSessionId(), session.protocolVersion()));
		if (reply.status() == 404) {
			return Delivery.SESSION_LOST;
		}
		requireSuccess(backend, reply.status());
		return Delivery.DELIVERED;
	}

	/**
	 * Opens the backend's standalone stream in the background and relays its messages to
	 * {@code sink} on a thread of its own; {@code listener} hears whether it opened and
	 * when it ended.
	 */
	public BackendStream openStream(BackendDefinition backend, BackendConnection session, MessageSink sink,
			StreamListener listener) {
		return openAndRead(backend, this.http.get(backend, session.backendSessionId(), session.protocolVersion()), sink,
				listener);
	}

	/**
	 * Opens a 2026-07-28 member's {@code subscriptions/listen} stream in the background:
	 * a POST whose answer stays open, relayed like a standalone stream.
	 */
	public BackendStream listen(BackendDefinition backend, BackendConnection session, String request,
			Map<String, String> headers, MessageSink sink, StreamListener listener) {
		return openAndRead(backend,
				this.http.post(backend, request, session.backendSessionId(), session.protocolVersion(), headers), sink,
				listener);
	}

	private BackendStream openAndRead(BackendDefinition backend, HttpUriRequestBase request, MessageSink sink,
			StreamListener listener) {
		BackendStream stream = new BackendStream(request);
		// For the caller it is opened for: opened again, it needs that caller's token
		Thread.ofVirtual()
			.name("backend-stream-" + backend.name())
			.start(MemberCaller.propagating(() -> openAndRead(backend, request, stream, sink, listener)));
		return stream;
	}

	private void openAndRead(BackendDefinition backend, HttpUriRequestBase request, BackendStream stream,
			MessageSink sink, StreamListener listener) {
		BackendResponse response;
		try {
			response = this.http.open(backend, request);
		}
		catch (BackendUnavailableException ex) {
			if (!stream.isClosed()) {
				logger.debug("Stream of backend {} not opened: {}", backend.name(), ex.getMessage());
				listener.refused(StreamRefusal.FAILED);
			}
			return;
		}
		StreamRefusal refusal = refusal(response.status());
		if (refusal != null) {
			response.close();
			listener.refused(refusal);
			return;
		}
		if (stream.attach(response)) {
			listener.opened();
			readStandaloneStream(backend, response, stream, sink, listener);
		}
	}

	private static @Nullable StreamRefusal refusal(int status) {
		return switch (status) {
			case 404 -> StreamRefusal.SESSION_LOST;
			case 405 -> StreamRefusal.UNSUPPORTED;
			case 409 -> StreamRefusal.CONFLICT;
			default -> (status / 100 == 2) ? null : StreamRefusal.FAILED;
		};
	}

	private void readStandaloneStream(BackendDefinition backend, BackendResponse response, BackendStream stream,
			MessageSink sink, StreamListener listener) {
		try {
			SseEventReader events = new SseEventReader(response.body());
			Optional<SseEvent> event;
			while ((event = events.next()).isPresent()) {
				relayEvent(backend, event.get(), sink);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			if (!stream.isClosed()) {
				logger.debug("Stream of backend {} ended: {}", backend.name(), ex.getMessage());
			}
		}
		finally {
			stream.close();
			listener.ended();
		}
	}

	/**
	 * Relays the events of a streamed answer. The sink begins with the first message: a
	 * stream when notifications or requests come first, but a single body when the
	 * response is all there is (the common case, and the cheapest to send). A sink that
	 * takes the rest of the answer elsewhere gets it, open, after the message that made
	 * it do so.
	 */
	private Relayed relayStream(BackendDefinition backend, BackendResponse response, JsonNode id, MessageSink sink)
			throws IOException {
		SseEventReader events = new SseEventReader(response.body());
		Optional<SseEvent> event;
		while ((event = events.next()).isPresent()) {
			String data = event.get().data();
			Optional<JsonNode> message = data.isBlank() ? Optional.empty() : parse(backend, data);
			if (message.isPresent()) {
				boolean answer = isResponseTo(message.get(), id);
				sink.begin(!answer);
				sink.message(data, message.get());
				if (answer) {
					return Relayed.ANSWERED;
				}
				Consumer<OpenAnswer> reader = sink.restOfAnswer();
				if (reader != null) {
					reader.accept(new OpenAnswer(backend.name(), response, events, id, (text) -> parse(backend, text)));
					return Relayed.HANDED_OVER;
				}
			}
		}
		return Relayed.ENDED;
	}

	private Relayed relayBody(BackendDefinition backend, BackendResponse response, MessageSink sink)
			throws IOException {
		String text = response.bodyText();
		JsonNode message = parse(backend, text)
			.orElseThrow(() -> new BackendUnavailableException("Backend " + backend.name() + " answered no JSON"));
		sink.begin(false);
		sink.message(text, message);
		return Relayed.ANSWERED;
	}

	/** Relays one event's message; events without JSON (priming events) are skipped. */
	private Optional<JsonNode> relayEvent(BackendDefinition backend, SseEvent event, MessageSink sink) {
		if (event.data().isBlank()) {
			return Optional.empty();
		}
		Optional<JsonNode> message = parse(backend, event.data());
		message.ifPresent((parsed) -> sink.message(event.data(), parsed));
		return message;
	}

	private Optional<JsonNode> parse(BackendDefinition backend, String text) {
		try {
			JsonNode message = this.json.readTree(text);
			return message.isObject() ? Optional.of(message) : Optional.empty();
		}
		catch (JacksonException ex) {
			logger.warn("Backend {} sent a message that is not JSON; skipped", backend.name());
			return Optional.empty();
		}
	}

	/** A response (not a request of the backend's own) carrying the id we sent. */
	public static boolean isResponseTo(JsonNode message, JsonNode id) {
		return !message.has("method") && id.equals(message.get("id"));
	}

	/** How the relay of a call's answer ended on the forwarding thread. */
	private enum Relayed {

		/** The response came and was relayed. */
		ANSWERED,

		/** The answer ended without a response. */
		ENDED,

		/** The rest of the answer went to another reader, open. */
		HANDED_OVER

	}

	private static void requireSuccess(BackendDefinition backend, int status) {
		if (status / 100 != 2) {
			throw new BackendUnavailableException("Backend " + backend.name() + " answered with HTTP " + status);
		}
	}

}
