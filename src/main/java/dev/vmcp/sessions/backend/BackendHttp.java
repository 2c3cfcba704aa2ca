package dev.vmcp.sessions.backend;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * HTTP to backends: one client per backend (its connect timeout, its connection pool),
 * requests carrying the Streamable HTTP headers and the backend's static headers, and
 * exchanges bounded in time. Thread-safe.
 */
final class BackendHttp {

	static final String SESSION_HEADER = "Mcp-Session-Id";

	static final String PROTOCOL_HEADER = "MCP-Protocol-Version";

	static final String EVENT_STREAM = "text/event-stream";

	private static final String ACCEPT_BOTH = "application/json, text/event-stream";

	private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

	/** A POST of one JSON-RPC message. */
	HttpRequest post(BackendDefinition backend, String body, @Nullable String sessionId, String protocolVersion,
			Duration timeout) {
		HttpRequest.Builder request = base(backend, sessionId, protocolVersion, timeout)
			.header("Content-Type", "application/json")
			.header("Accept", ACCEPT_BOTH)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		return request.build();
	}

	/**
	 * The GET that opens the backend's standalone stream: no time limit, since a server
	 * may send its headers only with its first event.
	 */
	HttpRequest get(BackendDefinition backend, String sessionId, String protocolVersion) {
		return base(backend, sessionId, protocolVersion, null).header("Accept", EVENT_STREAM).GET().build();
	}

	HttpRequest delete(BackendDefinition backend, String sessionId) {
		return base(backend, sessionId, null, backend.requestTimeout()).DELETE().build();
	}

	private static HttpRequest.Builder base(BackendDefinition backend, @Nullable String sessionId,
			@Nullable String protocolVersion, @Nullable Duration timeout) {
		HttpRequest.Builder request = HttpRequest.newBuilder(backend.url());
		if (timeout != null) {
			request.timeout(timeout);
		}
		backend.headers().forEach(request::header);
		// A stateless backend issues no session id: send none
		if (sessionId != null && !sessionId.isEmpty()) {
			request.header(SESSION_HEADER, sessionId);
		}
		if (protocolVersion != null) {
			request.header(PROTOCOL_HEADER, protocolVersion);
		}
		return request;
	}

	/** Sends a request and reads the whole body, all within {@code timeout}. */
	<T> HttpResponse<T> exchange(BackendDefinition backend, HttpRequest request, HttpResponse.BodyHandler<T> body,
			Duration timeout) {
		CompletableFuture<HttpResponse<T>> pending = client(backend).sendAsync(request, body);
		try {
			return pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			pending.cancel(true);
			throw tooSlow(backend, timeout, ex);
		}
		catch (ExecutionException ex) {
			// The request's own timeout (the same one) may fire first: the same outcome
			if (ex.getCause() instanceof HttpTimeoutException timedOut) {
				throw tooSlow(backend, timeout, timedOut);
			}
			throw new BackendUnavailableException(
					"Backend " + backend.name() + " is unreachable: " + describe(ex.getCause()), ex.getCause());
		}
		catch (InterruptedException ex) {
			pending.cancel(true);
			Thread.currentThread().interrupt();
			throw new BackendUnavailableException("Interrupted while waiting for backend " + backend.name(), ex);
		}
	}

	private static BackendUnavailableException tooSlow(BackendDefinition backend, Duration timeout, Exception cause) {
		return new BackendUnavailableException(
				"Backend " + backend.name() + " did not answer within " + timeout.toMillis() + " ms", cause);
	}

	/** Sends a request without waiting: for streams that may stay silent a long time. */
	<T> CompletableFuture<HttpResponse<T>> sendAsync(BackendDefinition backend, HttpRequest request,
			HttpResponse.BodyHandler<T> body) {
		return client(backend).sendAsync(request, body);
	}

	HttpResponse<String> exchange(BackendDefinition backend, HttpRequest request) {
		return exchange(backend, request, HttpResponse.BodyHandlers.ofString(), backend.requestTimeout());
	}

	static boolean isEventStream(HttpResponse<?> response) {
		return response.headers().firstValue("Content-Type").orElse("").startsWith(EVENT_STREAM);
	}

	static String describe(@Nullable Throwable cause) {
		if (cause == null) {
			return "unknown cause";
		}
		return (cause instanceof IOException && cause.getMessage() == null) ? cause.getClass().getSimpleName()
				: String.valueOf(cause.getMessage());
	}

	private HttpClient client(BackendDefinition backend) {
		return this.clients.computeIfAbsent(backend.name(),
				(name) -> HttpClient.newBuilder()
					.version(HttpClient.Version.HTTP_1_1)
					.connectTimeout(backend.connectTimeout())
					.build());
	}

}
