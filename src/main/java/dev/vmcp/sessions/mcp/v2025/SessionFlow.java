package dev.vmcp.sessions.mcp.v2025;

import java.util.OptionalLong;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.ProtocolVersions;
import dev.vmcp.sessions.mcp.ClientAccepts;
import dev.vmcp.sessions.mcp.ClientResponse;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.McpEndpoint;
import dev.vmcp.sessions.mcp.McpException;
import dev.vmcp.sessions.mcp.McpMetrics;
import dev.vmcp.sessions.mcp.McpSpans;
import dev.vmcp.sessions.mcp.RequestFlow;
import dev.vmcp.sessions.mcp.RevisionFlow;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.CreationRefusedException;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionService;
import dev.vmcp.sessions.tracing.OpenSpan;

/**
 * Serves the POSTs of 2025 clients: {@code initialize} creates the session, everything
 * else works on the session its {@code Mcp-Session-Id} names, on any pod. It answers
 * whatever no other revision claims.
 */
final class SessionFlow implements RevisionFlow {

	private final SessionService sessions;

	private final Initializer initializer;

	private final McpDispatcher dispatcher;

	private final MemberMessages memberMessages;

	private final JsonMapper json;

	private final McpSpans spans;

	private final RequestFlow flow;

	SessionFlow(SessionService sessions, Initializer initializer, McpDispatcher dispatcher,
			MemberMessages memberMessages, JsonMapper json, McpSpans spans, RequestFlow flow) {
		this.flow = flow;
		this.sessions = sessions;
		this.initializer = initializer;
		this.dispatcher = dispatcher;
		this.memberMessages = memberMessages;
		this.json = json;
		this.spans = spans;
	}

	@Override
	public boolean claims(HttpServletRequest request, ObjectNode message) {
		return true;
	}

	@Override
	public void post(Caller caller, ObjectNode message, ClientAccepts accepts, HttpServletRequest request,
			HttpServletResponse response) {
		if (JsonRpc.isRequest(message) && message.path("method").asString("").equals("initialize")) {
			initialize(caller, message, accepts, response);
			return;
		}
		SessionContext context = this.flow.admit(caller, message, () -> session(request, caller));
		if (JsonRpc.isRequest(message)) {
			this.dispatcher.request(context, message, accepts, response);
			return;
		}
		if (JsonRpc.isNotification(message)) {
			this.dispatcher.notification(context, message, this.json.writeValueAsString(message));
		}
		else {
			this.dispatcher.response(context, message);
		}
		response.setStatus(HttpStatus.ACCEPTED.value());
	}

	/** The session the request names, in use on this pod. */
	SessionContext session(HttpServletRequest request, Caller caller) {
		SessionId id = sessionId(request);
		requireSupportedVersion(request);
		return new SessionContext(caller, this.sessions.use(caller, id), this.sessions);
	}

	static SessionId sessionId(HttpServletRequest request) {
		String header = request.getHeader(McpEndpoint.SESSION_HEADER);
		if (header == null || header.isBlank()) {
			throw McpException.badRequest("Mcp-Session-Id header is required (initialize first)");
		}
		return new SessionId(header.strip());
	}

	/** Missing means 2025-03-26, as the specification says to assume. */
	static void requireSupportedVersion(HttpServletRequest request) {
		String version = request.getHeader(McpEndpoint.PROTOCOL_HEADER);
		if (version != null && !ProtocolVersions.isSupported(version.strip())) {
			throw McpException.badRequest("Unsupported MCP-Protocol-Version: " + version.strip() + "; supported: "
					+ String.join(", ", ProtocolVersions.SUPPORTED));
		}
	}

	/** An {@code initialize}, in a server span of its own as any request. */
	private void initialize(Caller caller, ObjectNode message, ClientAccepts accepts, HttpServletResponse response) {
		OpenSpan span = this.spans.server(message, null);
		try {
			String negotiated = startSession(caller, message, accepts, response);
			span.tag(McpSpans.PROTOCOL_VERSION, negotiated);
		}
		catch (RuntimeException ex) {
			span.fail(ex);
			throw ex;
		}
		finally {
			span.close();
		}
	}

	/**
	 * Starts the session and answers with its id.
	 * @return the revision negotiated
	 */
	private String startSession(Caller caller, ObjectNode message, ClientAccepts accepts,
			HttpServletResponse response) {
		JsonNode id = message.get("id");
		Initializer.Initialized initialized;
		try {
			initialized = this.initializer.initialize(caller, message.path("params"));
		}
		catch (JsonRpcError ex) {
			throw new McpException(HttpStatus.BAD_REQUEST, ex.code(), ex.getMessage(), id);
		}
		catch (CreationRefusedException ex) {
			throw new McpException(HttpStatus.TOO_MANY_REQUESTS, JsonRpc.TOO_MANY_SESSIONS, ex.getMessage(), id,
					OptionalLong.of(ex.retryAfterSeconds()));
		}
		SessionContext context = new SessionContext(caller, initialized.session(), this.sessions);
		response.setHeader(McpEndpoint.SESSION_HEADER, context.id().value());
		new ClientResponse(response, accepts, this.json, this.memberMessages.dialect(context), McpMetrics.GATEWAY)
			.answer(JsonRpc.result(id, initialized.result()));
		return context.protocolVersion();
	}

}
