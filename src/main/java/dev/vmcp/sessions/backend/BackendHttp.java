package dev.vmcp.sessions.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

import dev.vmcp.sessions.tracing.Traces;

/**
 * HTTP to backends: one client per backend (its connect timeout, its connection pool),
 * requests carrying the Streamable HTTP headers, the backend's static headers, its own
 * token ({@link MemberCredentials}) and the current trace context ({@code traceparent}),
 * and exchanges bounded in time. The answer is read on the calling thread (a request's
 * own virtual thread), with no hand-over between threads. One instance serves the
 * connector and the messenger, so that both use the same pools. Thread-safe.
 */
public final class BackendHttp implements AutoCloseable {

	static final String SESSION_HEADER = "Mcp-Session-Id";

	static final String PROTOCOL_HEADER = "MCP-Protocol-Version";

	static final String EVENT_STREAM = "text/event-stream";

	private static final String ACCEPT_BOTH = "application/json, text/event-stream";

	private static final ContentType JSON = ContentType.create("application/json");

	/**
	 * Connections that have been idle this long are checked before reuse (the check costs
	 * a millisecond): a backend may have closed them meanwhile. Those that die sooner are
	 * left to {@link DeadConnectionRetry}.
	 */
	private static final TimeValue CHECK_AFTER_IDLE = TimeValue.ofSeconds(1);

	/**
	 * Standalone streams hold a connection each: the pool must not be what limits them.
	 */
	private static final int MAX_CONNECTIONS_PER_BACKEND = 10_000;

	private final Map<String, CloseableHttpClient> clients = new ConcurrentHashMap<>();

	private final MemberCredentials credentials;

	private final ScheduledThreadPoolExecutor deadlines = deadlineScheduler();

	private final Traces traces;

	/**
	 * One thread for every exchange's deadline. Nearly every deadline is cancelled (its
	 * exchange ended in time): cancelled ones leave the queue at once instead of holding
	 * their requests until they would have fired.
	 */
	private static ScheduledThreadPoolExecutor deadlineScheduler() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
				Thread.ofPlatform().daemon().name("backend-deadlines").factory());
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

	/** HTTP to backends that take no token of their own, without trace context. */
	public BackendHttp() {
		this(MemberCredentials.NONE, Traces.OFF);
	}

	/**
	 * HTTP to backends, each with the token {@code credentials} give it.
	 * @param traces whose current span each request names as its parent
	 */
	public BackendHttp(MemberCredentials credentials, Traces traces) {
		this.credentials = credentials;
		this.traces = traces;
	}

	/** A POST of one JSON-RPC message. */
	HttpPost post(BackendDefinition backend, String body, @Nullable String sessionId,
			@Nullable String protocolVersion) {
		HttpPost post = new HttpPost(backend.url());
		base(post, backend, sessionId, protocolVersion);
		post.setHeader("Accept", ACCEPT_BOTH);
		post.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), JSON));
		return post;
	}

	/**
	 * A POST of one JSON-RPC message with headers of its own: those a 2026-07-28 request
	 * mirrors from its body ({@code Mcp-Method}, {@code Mcp-Name}).
	 */
	HttpPost post(BackendDefinition backend, String body, @Nullable String sessionId, @Nullable String protocolVersion,
			Map<String, String> messageHeaders) {
		HttpPost post = post(backend, body, sessionId, protocolVersion);
		messageHeaders.forEach(post::setHeader);
		return post;
	}

	/** The GET that opens the backend's standalone stream. */
	HttpGet get(BackendDefinition backend, String sessionId, String protocolVersion) {
		HttpGet get = new HttpGet(backend.url());
		base(get, backend, sessionId, protocolVersion);
		get.setHeader("Accept", EVENT_STREAM);
		return get;
	}

	HttpDelete delete(BackendDefinition backend, String sessionId) {
		HttpDelete delete = new HttpDelete(backend.url());
		base(delete, backend, sessionId, null);
		return delete;
	}

	private void base(HttpUriRequestBase request, BackendDefinition backend, @Nullable String sessionId,
			@Nullable String protocolVersion) {
		backend.headers().forEach(request::setHeader);
		this.traces.injectCurrent(request::setHeader);
		// A stateless backend issues no session id: send none
		if (sessionId != null && !sessionId.isEmpty()) {
			request.setHeader(SESSION_HEADER, sessionId);
		}
		if (protocolVersion != null) {
			request.setHeader(PROTOCOL_HEADER, protocolVersion);
		}
	}

	/**
	 * Sends a request and returns once the answer's headers have arrived; its body is
	 * read from the response. Nothing limits the time: for streams that may stay silent a
	 * long time.
	 * @throws BackendUnavailableException when the backend cannot be reached
	 */
	BackendResponse open(BackendDefinition backend, HttpUriRequestBase request) {
		return open(backend, request, ExchangeDeadline.none());
	}

	/**
	 * Sends a request and returns once the answer's headers have arrived. The whole
	 * exchange, the body's reading included, is cut off {@code timeout} after it started,
	 * unless the response is closed before.
	 * @throws BackendUnavailableException when the backend cannot be reached or does not
	 * answer in time
	 */
	BackendResponse open(BackendDefinition backend, HttpUriRequestBase request, Duration timeout) {
		return open(backend, request, ExchangeDeadline.start(this.deadlines, timeout, request));
	}

	/**
	 * Sends the request with the member's token. A member that refuses its token (401:
	 * revoked, expired early, its keys rotated) gets a new one and the request once more,
	 * within the same deadline: nothing of its answer has been relayed yet.
	 */
	private BackendResponse open(BackendDefinition backend, HttpUriRequestBase request, ExchangeDeadline deadline) {
		String authorization = authorize(backend, request, deadline);
		BackendResponse response = send(backend, request, deadline);
		if (authorization == null || response.status() != HttpStatus.SC_UNAUTHORIZED) {
			return response;
		}
		response.release();
		this.credentials.refused(backend, authorization);
		authorize(backend, request, deadline);
		return send(backend, request, deadline);
	}

	private @Nullable String authorize(BackendDefinition backend, HttpUriRequestBase request,
			ExchangeDeadline deadline) {
		try {
			Optional<String> authorization = this.credentials.authorization(backend);
			authorization.ifPresent((value) -> request.setHeader(HttpHeaders.AUTHORIZATION, value));
			return authorization.orElse(null);
		}
		catch (RuntimeException ex) {
			deadline.cancel();
			throw ex;
		}
	}

	private BackendResponse send(BackendDefinition backend, HttpUriRequestBase request, ExchangeDeadline deadline) {
		try {
			ClassicHttpResponse response = client(backend).executeOpen(null, request, null);
			return new BackendResponse(response, request, deadline);
		}
		catch (IOException | RuntimeException ex) {
			deadline.cancel();
			throw failure(backend, deadline, ex);
		}
	}

	/**
	 * One of the gateway's own steps (initialize, ping, a notification, a DELETE): the
	 * whole answer, read within the backend's request timeout.
	 * @throws BackendUnavailableException when the backend cannot be reached or does not
	 * answer in time
	 */
	BackendReply exchange(BackendDefinition backend, HttpUriRequestBase request) {
		try (BackendResponse response = open(backend, request, backend.requestTimeout())) {
			try {
				return new BackendReply(response.status(), response.header("Content-Type").orElse(""),
						response.header(SESSION_HEADER).orElse(""), response.bodyText());
			}
			catch (IOException ex) {
				throw failure(backend, response.deadline(), ex);
			}
		}
	}

	/** What a failed exchange means for the caller: too slow, or unreachable. */
	static BackendUnavailableException failure(BackendDefinition backend, ExchangeDeadline deadline, Exception cause) {
		if (deadline.hasPassed()) {
			return new BackendUnavailableException(
					"Backend " + backend.name() + " did not answer within " + deadline.timeout().toMillis() + " ms",
					cause);
		}
		return new BackendUnavailableException("Backend " + backend.name() + " is unreachable: " + describe(cause),
				cause);
	}

	static String describe(@Nullable Throwable cause) {
		if (cause == null) {
			return "unknown cause";
		}
		return (cause.getMessage() == null) ? cause.getClass().getSimpleName() : cause.getMessage();
	}

	/** Closes every backend's connections. */
	@Override
	public void close() {
		this.deadlines.shutdownNow();
		this.clients.values().forEach((client) -> client.close(CloseMode.IMMEDIATE));
	}

	private CloseableHttpClient client(BackendDefinition backend) {
		return this.clients.computeIfAbsent(backend.name(), (name) -> newClient(backend));
	}

	private static CloseableHttpClient newClient(BackendDefinition backend) {
		Timeout connectTimeout = Timeout.of(backend.connectTimeout());
		ConnectionConfig connections = ConnectionConfig.custom()
			.setConnectTimeout(connectTimeout)
			// Deadlines are the exchanges' own; a stream may be silent for hours
			.setSocketTimeout(Timeout.DISABLED)
			.setValidateAfterInactivity(CHECK_AFTER_IDLE)
			.build();
		PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
			.setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
			.setMaxConnPerRoute(MAX_CONNECTIONS_PER_BACKEND)
			.setDefaultConnectionConfig(connections)
			.build();
		return HttpClients.custom()
			.setConnectionManager(pool)
			.setDefaultRequestConfig(RequestConfig.custom()
				.setConnectionRequestTimeout(connectTimeout)
				.setResponseTimeout(Timeout.DISABLED)
				.setRedirectsEnabled(false)
				.build())
			// A POST is not idempotent: sent again only when it cannot have been read
			.setRetryStrategy(new DeadConnectionRetry(pool))
			// Bytes are relayed as they come: no decompression; no cookies either
			.disableContentCompression()
			.disableCookieManagement()
			.disableAuthCaching()
			.setUserAgent("vmcp-sessions")
			.evictIdleConnections(TimeValue.ofSeconds(30))
			.build();
	}

}
