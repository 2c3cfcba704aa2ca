package dev.vmcp.sessions.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
public final class BackendMessenger implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(BackendMessenger.class);

	private final BackendHttp http;

	private final JsonMapper json;

	private final ScheduledExecutorService deadlines = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("backend-deadlines").factory());

	public BackendMessenger(JsonMapper json) {
		this(new BackendHttp(), json);
	}

	BackendMessenger(BackendHttp http, JsonMapper json) {
		this.http = http;
		this.json = json;
	}

	/**
	 * Forwards a request and relays everything the backend sends about it, up to and
	 * including its response, to {@code sink}, within the backend's call timeout.
	 * @param id the request's id, to recognize its response
	 * @throws BackendUnavailableException when the backend cannot be reached, fails, or
	 * does not answer in time
	 */
	public Delivery request(BackendDefinition backend, BackendConnection session, String request, JsonNode id,
			MessageSink sink) {
		Duration timeout = backend.callTimeout();
		HttpRequest post = this.http.post(backend, request, session.backendSessionId(), session.protocolVersion(),
				timeout);
		HttpResponse<InputStream> response = this.http.exchange(backend, post,
				HttpResponse.BodyHandlers.ofInputStream(), timeout);
		if (response.statusCode() == 404) {
			discard(response.body());
			return Delivery.SESSION_LOST;
		}
		requireSuccess(backend, response);
		AtomicBoolean timedOut = new AtomicBoolean();
		ScheduledFuture<?> deadline = this.deadlines.schedule(() -> {
			timedOut.set(true);
			discard(response.body());
		}, timeout.toMillis(), TimeUnit.MILLISECONDS);
		InputStream body = response.body();
		boolean draining = false;
		try {
			boolean eventStream = BackendHttp.isEventStream(response);
			boolean answered = eventStream ? relayStream(backend, body, id, sink) : relayBody(backend, body, sink);
			if (!answered) {
				throw new BackendUnavailableException(
						"Backend " + backend.name() + " ended its answer without a response");
			}
			draining = eventStream;
			return Delivery.DELIVERED;
		}
		catch (IOException ex) {
			if (timedOut.get()) {
				throw new BackendUnavailableException(
						"Backend " + backend.name() + " did not answer within " + timeout.toMillis() + " ms", ex);
			}
			throw new BackendUnavailableException(
					"Backend " + backend.name() + " broke off its answer: " + BackendHttp.describe(ex), ex);
		}
		finally {
			deadline.cancel(false);
			if (draining) {
				drainInBackground(body, backend.requestTimeout());
			}
			else {
				discard(body);
			}
		}
	}

	/**
	 * Reads what follows the response (the server ends its stream after it) without
	 * holding up the client, so that the connection goes back to the pool instead of
	 * being closed half-read; a server that keeps the stream open is cut off after
	 * {@code limit}.
	 */
	private void drainInBackground(InputStream body, Duration limit) {
		ScheduledFuture<?> cutOff = this.deadlines.schedule(() -> discard(body), limit.toMillis(),
				TimeUnit.MILLISECONDS);
		Thread.ofVirtual().name("backend-drain").start(() -> {
			try (body) {
				body.transferTo(OutputStream.nullOutputStream());
			}
			catch (IOException ex) {
				// cut off, or the server broke the connection: either way it is released
			}
			finally {
				cutOff.cancel(false);
			}
		});
	}

	/**
	 * Posts a notification or a response (to a request the backend sent).
	 * @throws BackendUnavailableException when the backend cannot be reached or refuses
	 */
	public Delivery post(BackendDefinition backend, BackendConnection session, String message) {
		HttpResponse<String> response = this.http.exchange(backend, this.http.post(backend, message,
				session.backendSessionId(), session.protocolVersion(), backend.requestTimeout()));
		if (response.statusCode() == 404) {
			return Delivery.SESSION_LOST;
		}
		requireSuccess(backend, response);
		return Delivery.DELIVERED;
	}

	/**
	 * Opens the backend's standalone stream in the background and relays its messages to
	 * {@code sink} on a thread of its own; {@code listener} hears whether it opened and
	 * when it ended.
	 */
	public BackendStream openStream(BackendDefinition backend, BackendConnection session, MessageSink sink,
			StreamListener listener) {
		BackendStream stream = new BackendStream();
		CompletableFuture<HttpResponse<InputStream>> pending = this.http.sendAsync(backend,
				this.http.get(backend, session.backendSessionId(), session.protocolVersion()),
				HttpResponse.BodyHandlers.ofInputStream());
		stream.opening(pending);
		pending.whenComplete((response, failure) -> {
			if (failure != null) {
				if (!stream.isClosed()) {
					logger.debug("Stream of backend {} not opened: {}", backend.name(), BackendHttp.describe(failure));
					listener.refused(StreamRefusal.FAILED);
				}
				return;
			}
			StreamRefusal refusal = refusal(response.statusCode());
			if (refusal != null) {
				discard(response.body());
				listener.refused(refusal);
				return;
			}
			if (stream.attach(response.body())) {
				listener.opened();
				Thread.ofVirtual()
					.name("backend-stream-" + backend.name())
					.start(() -> readStandaloneStream(backend, response.body(), stream, sink, listener));
			}
		});
		return stream;
	}

	private static @Nullable StreamRefusal refusal(int status) {
		return switch (status) {
			case 404 -> StreamRefusal.SESSION_LOST;
			case 405 -> StreamRefusal.UNSUPPORTED;
			case 409 -> StreamRefusal.CONFLICT;
			default -> (status / 100 == 2) ? null : StreamRefusal.FAILED;
		};
	}

	@Override
	public void close() {
		this.deadlines.shutdownNow();
	}

	private void readStandaloneStream(BackendDefinition backend, InputStream body, BackendStream stream,
			MessageSink sink, StreamListener listener) {
		try {
			SseEventReader events = new SseEventReader(body);
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

	private boolean relayStream(BackendDefinition backend, InputStream body, JsonNode id, MessageSink sink)
			throws IOException {
		sink.begin(true);
		SseEventReader events = new SseEventReader(body);
		Optional<SseEvent> event;
		while ((event = events.next()).isPresent()) {
			Optional<JsonNode> message = relayEvent(backend, event.get(), sink);
			if (message.isPresent() && isResponseTo(message.get(), id)) {
				return true;
			}
		}
		return false;
	}

	private boolean relayBody(BackendDefinition backend, InputStream body, MessageSink sink) throws IOException {
		String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
		JsonNode message = parse(backend, text)
			.orElseThrow(() -> new BackendUnavailableException("Backend " + backend.name() + " answered no JSON"));
		sink.begin(false);
		sink.message(text, message);
		return true;
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

	private static void requireSuccess(BackendDefinition backend, HttpResponse<?> response) {
		if (response.statusCode() / 100 != 2) {
			if (response.body() instanceof InputStream body) {
				discard(body);
			}
			throw new BackendUnavailableException(
					"Backend " + backend.name() + " answered with HTTP " + response.statusCode());
		}
	}

	private static void discard(InputStream body) {
		try {
			body.close();
		}
		catch (IOException ex) {
			// nothing more to read from it anyway
		}
	}

}
