package dev.vmcp.sessions.backend;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Speaks the MCP Streamable HTTP transport to backend servers: initialize handshake,
 * {@code ping} to check that a resumed session is still known, {@code DELETE} to end one.
 * Every exchange, body included, is bounded by the backend's request timeout.
 */
public final class StreamableHttpBackendConnector implements BackendConnector {

	/** Protocol version proposed in the initialize request. */
	public static final String PROTOCOL_VERSION = "2025-06-18";

	private static final Logger logger = LoggerFactory.getLogger(StreamableHttpBackendConnector.class);

	private static final String SESSION_HEADER = "Mcp-Session-Id";

	private static final String PROTOCOL_HEADER = "MCP-Protocol-Version";

	private static final String ACCEPT = "application/json, text/event-stream";

	private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

	private final AtomicLong requestIds = new AtomicLong();

	private final JsonMapper json;

	private final JsonRpcResponses responses;

	private final Clock clock;

	private final String clientVersion;

	public StreamableHttpBackendConnector(JsonMapper json, Clock clock, String clientVersion) {
		this.json = json;
		this.responses = new JsonRpcResponses(json);
		this.clock = clock;
		this.clientVersion = clientVersion;
	}

	@Override
	public BackendConnection open(BackendDefinition backend) {
		long id = this.requestIds.incrementAndGet();
		HttpResponse<String> response = exchange(backend, post(backend, initializeRequest(id), null));
		requireSuccess(backend, response, "initialize");
		JsonNode answer = requireAnswer(backend, response, id, "initialize");
		String sessionId = response.headers().firstValue(SESSION_HEADER).orElse("");
		String negotiated = answer.path("result").path("protocolVersion").asString(PROTOCOL_VERSION);
		try {
			sendInitialized(backend, sessionId, negotiated);
		}
		catch (RuntimeException ex) {
			// The backend has the session already: end it rather than leave it behind.
			terminate(backend, sessionId);
			throw ex;
		}
		return new BackendConnection(backend.name(), sessionId, this.clock.instant());
	}

	@Override
	public Optional<BackendConnection> resume(BackendDefinition backend, String backendSessionId, Instant connectedAt) {
		long id = this.requestIds.incrementAndGet();
		String ping = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}";
		HttpResponse<String> response = exchange(backend, post(backend, ping, backendSessionId));
		if (response.statusCode() == 404) {
			return Optional.empty();
		}
		requireSuccess(backend, response, "ping");
		requireAnswer(backend, response, id, "ping");
		return Optional.of(new BackendConnection(backend.name(), backendSessionId, connectedAt));
	}

	@Override
	public void terminate(BackendDefinition backend, String backendSessionId) {
		if (backendSessionId.isEmpty()) {
			return;
		}
		HttpRequest delete = HttpRequest.newBuilder(backend.url())
			.timeout(backend.requestTimeout())
			.header(SESSION_HEADER, backendSessionId)
			.DELETE()
			.build();
		try {
			exchange(backend, delete);
		}
		catch (BackendUnavailableException ex) {
			logger.warn("Could not end the session of backend {}: {}", backend.name(), ex.getMessage());
		}
	}

	private void sendInitialized(BackendDefinition backend, String sessionId, String protocolVersion) {
		String notification = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
		HttpRequest.Builder request = HttpRequest.newBuilder(backend.url())
			.timeout(backend.requestTimeout())
			.header("Content-Type", "application/json")
			.header("Accept", ACCEPT)
			.header(PROTOCOL_HEADER, protocolVersion)
			.POST(HttpRequest.BodyPublishers.ofString(notification));
		requireSuccess(backend, exchange(backend, withSession(request, sessionId).build()),
				"notifications/initialized");
	}

	private String initializeRequest(long id) {
		Map<String, Object> params = Map.of("protocolVersion", PROTOCOL_VERSION, "capabilities", Map.of(), "clientInfo",
				Map.of("name", "vmcp-sessions", "version", this.clientVersion));
		return this.json
			.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "method", "initialize", "params", params));
	}

	private HttpRequest post(BackendDefinition backend, String body, @Nullable String sessionId) {
		HttpRequest.Builder request = HttpRequest.newBuilder(backend.url())
			.timeout(backend.requestTimeout())
			.header("Content-Type", "application/json")
			.header("Accept", ACCEPT)
			.header(PROTOCOL_HEADER, PROTOCOL_VERSION)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		return withSession(request, sessionId).build();
	}

	/**
	 * Adds the session header, unless the backend issued no session (a stateless server).
	 */
	private static HttpRequest.Builder withSession(HttpRequest.Builder request, @Nullable String sessionId) {
		return (sessionId == null || sessionId.isEmpty()) ? request : request.header(SESSION_HEADER, sessionId);
	}

	/** Sends a request and reads the whole body, all within the request timeout. */
	private HttpResponse<String> exchange(BackendDefinition backend, HttpRequest request) {
		CompletableFuture<HttpResponse<String>> pending = client(backend).sendAsync(request,
				HttpResponse.BodyHandlers.ofString());
		try {
			return pending.get(backend.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			pending.cancel(true);
			throw new BackendUnavailableException("Backend " + backend.name() + " did not answer within "
					+ backend.requestTimeout().toMillis() + " ms", ex);
		}
		catch (ExecutionException ex) {
			throw new BackendUnavailableException(
					"Backend " + backend.name() + " is unreachable: " + describe(ex.getCause()), ex.getCause());
		}
		catch (InterruptedException ex) {
			pending.cancel(true);
			Thread.currentThread().interrupt();
			throw new BackendUnavailableException("Interrupted while waiting for backend " + backend.name(), ex);
		}
	}

	private HttpClient client(BackendDefinition backend) {
		return this.clients.computeIfAbsent(backend.name(),
				(name) -> HttpClient.newBuilder()
					.version(HttpClient.Version.HTTP_1_1)
					.connectTimeout(backend.connectTimeout())
					.build());
	}

	private static void requireSuccess(BackendDefinition backend, HttpResponse<String> response, String step) {
		if (response.statusCode() / 100 != 2) {
			throw new BackendUnavailableException(
					"Backend " + backend.name() + " answered " + step + " with HTTP " + response.statusCode());
		}
	}

	private JsonNode requireAnswer(BackendDefinition backend, HttpResponse<String> response, long id, String step) {
		String contentType = response.headers().firstValue("Content-Type").orElse("application/json");
		JsonNode answer = this.responses.find(contentType, response.body(), id)
			.orElseThrow(
					() -> new BackendUnavailableException("Backend " + backend.name() + " sent no answer to " + step));
		if (answer.has("error")) {
			throw new BackendUnavailableException(
					"Backend " + backend.name() + " refused " + step + ": " + answer.get("error"));
		}
		return answer;
	}

	private static String describe(Throwable cause) {
		return (cause instanceof IOException && cause.getMessage() == null) ? cause.getClass().getSimpleName()
				: String.valueOf(cause.getMessage());
	}

}
