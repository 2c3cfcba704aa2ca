package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import dev.vmcp.sessions.testsupport.McpBackendServer.ResponseMode;
import io.modelcontextprotocol.spec.HttpHeaders;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Sits in front of the SDK servlet of a {@link McpBackendServer}. It
 * <ul>
 * <li>records the traffic in {@link BackendTraffic}: POSTs per session id on arrival,
 * DELETEs, and sessions created by {@code initialize} and ended by a successful
 * DELETE;</li>
 * <li>holds every request while the {@link HangGate} is shut;</li>
 * <li>answers 404 itself for a session id the server does not know. The SDK would too,
 * but its body is a serialized Java exception with a stack trace rather than a JSON-RPC
 * error (and an HTML page for GET and DELETE);</li>
 * <li>reshapes response bodies for the {@link ResponseMode}, because the SDK servlet
 * answers {@code initialize} with JSON but every other request with SSE.</li>
 * </ul>
 * The sessions it knows are exactly the SDK's: the SDK only drops a session on DELETE
 * (which this filter sees, and which {@link McpBackendServer#forgetSession} uses), on
 * shutdown, and on idle sweeps, which {@link McpBackendServer} switches off.
 */
final class BackendTrafficFilter extends HttpFilter {

	/**
	 * How long to wait for the SDK to finish a response it streams from another thread.
	 * The SDK has answered by the time its servlet returns, so this is only a safety net.
	 */
	private static final Duration STREAM_COMPLETION_TIMEOUT = Duration.ofSeconds(30);

	private static final String APPLICATION_JSON = "application/json";

	private static final String TEXT_EVENT_STREAM = "text/event-stream";

	private static final byte[] NO_BODY = {};

	private final ResponseMode mode;

	private final BackendTraffic traffic;

	private final HangGate hangGate;

	BackendTrafficFilter(ResponseMode mode, BackendTraffic traffic, HangGate hangGate) {
		this.mode = mode;
		this.traffic = traffic;
		this.hangGate = hangGate;
	}

	@Override
	protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		String sessionId = request.getHeader(HttpHeaders.MCP_SESSION_ID);
		this.traffic.touched(sessionId, request.getMethod());
		switch (request.getMethod()) {
			case "POST" -> {
				this.traffic.postReceived(sessionId);
				awaitHangRelease();
				handlePost(sessionId, request, response, chain);
			}
			case "DELETE" -> {
				this.traffic.deleteReceived(sessionId);
				awaitHangRelease();
				handleDelete(sessionId, request, response, chain);
			}
			default -> {
				awaitHangRelease();
				handleOther(sessionId, request, response, chain);
			}
		}
	}

	private void handlePost(String sessionId, HttpServletRequest request, HttpServletResponse response,
			FilterChain chain) throws IOException, ServletException {
		byte[] body = request.getInputStream().readAllBytes();
		String traceparent = request.getHeader("traceparent");
		this.traffic.posted(JsonRpcBodies.method(body), (traceparent != null) ? traceparent : "");
		boolean initialize = JsonRpcBodies.isInitializeRequest(body);
		if (!initialize && isUnknown(sessionId)) {
			answerSessionNotFound(response, sessionId, body);
			return;
		}
		CachedBodyRequest cachedBodyRequest = new CachedBodyRequest(request, body);
		if (this.mode == ResponseMode.JSON) {
			forwardAnsweringWithJson(cachedBodyRequest, response, chain, initialize);
		}
		else if (initialize) {
			forwardAnsweringInitializeWithSse(cachedBodyRequest, response, chain);
		}
		else {
			chain.doFilter(cachedBodyRequest, response);
		}
	}

	private void handleDelete(String sessionId, HttpServletRequest request, HttpServletResponse response,
			FilterChain chain) throws IOException, ServletException {
		if (isUnknown(sessionId)) {
			answerSessionNotFound(response, sessionId, NO_BODY);
			return;
		}
		chain.doFilter(request, response);
		if (sessionId != null && response.getStatus() == HttpServletResponse.SC_OK) {
			this.traffic.sessionEnded(sessionId);
		}
	}

	private void handleOther(String sessionId, HttpServletRequest request, HttpServletResponse response,
			FilterChain chain) throws IOException, ServletException {
		if (isUnknown(sessionId)) {
			answerSessionNotFound(response, sessionId, NO_BODY);
			return;
		}
		chain.doFilter(request, response);
	}

	private void forwardAnsweringWithJson(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			boolean initialize) throws IOException, ServletException {
		BufferedResponse bufferedResponse = new BufferedResponse(response);
		InlineAsyncRequest inlineAsyncRequest = new InlineAsyncRequest(request, bufferedResponse);
		chain.doFilter(inlineAsyncRequest, bufferedResponse);
		awaitStreamCompletion(inlineAsyncRequest);
		if (initialize) {
			recordInitializeOutcome(response);
		}
		Optional<String> jsonRpcResponse = bufferedResponse.hasContentType(TEXT_EVENT_STREAM)
				? JsonRpcBodies.responseInSseEvents(bufferedResponse.bufferedBody()) : Optional.empty();
		if (jsonRpcResponse.isPresent() && !bufferedResponse.errorSent()) {
			BufferedResponse.sendBody(response, APPLICATION_JSON, jsonRpcResponse.get());
		}
		else {
			bufferedResponse.sendAsWritten();
		}
	}

	private void forwardAnsweringInitializeWithSse(HttpServletRequest request, HttpServletResponse response,
			FilterChain chain) throws IOException, ServletException {
		BufferedResponse bufferedResponse = new BufferedResponse(response);
		chain.doFilter(request, bufferedResponse);
		recordInitializeOutcome(response);
		boolean initializeResult = response.getStatus() == HttpServletResponse.SC_OK
				&& bufferedResponse.hasContentType(APPLICATION_JSON) && !bufferedResponse.errorSent();
		if (initializeResult) {
			BufferedResponse.sendBody(response, TEXT_EVENT_STREAM,
					JsonRpcBodies.toSseEvent(bufferedResponse.bufferedBody()));
		}
		else {
			bufferedResponse.sendAsWritten();
		}
	}

	/**
	 * Record a new session before its id reaches the client, so that a follow-up request
	 * can never find it unknown.
	 */
	private void recordInitializeOutcome(HttpServletResponse response) {
		String sessionId = response.getHeader(HttpHeaders.MCP_SESSION_ID);
		if (response.getStatus() == HttpServletResponse.SC_OK && sessionId != null) {
			this.traffic.sessionInitialized(sessionId);
		}
	}

	/**
	 * Requests without a session id go on to the SDK, which tells the client the header
	 * is missing.
	 */
	private boolean isUnknown(String sessionId) {
		return sessionId != null && !this.traffic.isLive(sessionId);
	}

	private void answerSessionNotFound(HttpServletResponse response, String sessionId, byte[] requestBody)
			throws IOException {
		response.setStatus(HttpServletResponse.SC_NOT_FOUND);
		BufferedResponse.sendBody(response, APPLICATION_JSON,
				JsonRpcBodies.error(requestBody, JsonRpcBodies.SESSION_NOT_FOUND, "Session not found: " + sessionId));
	}

	private void awaitHangRelease() throws ServletException {
		try {
			this.hangGate.awaitPassage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ServletException("Interrupted while hanging", ex);
		}
	}

	private void awaitStreamCompletion(InlineAsyncRequest request) throws ServletException {
		try {
			if (!request.awaitCompletion(STREAM_COMPLETION_TIMEOUT)) {
				throw new ServletException(
						"The MCP SDK did not complete its response within " + STREAM_COMPLETION_TIMEOUT);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ServletException("Interrupted while waiting for the MCP SDK response", ex);
		}
	}

}
