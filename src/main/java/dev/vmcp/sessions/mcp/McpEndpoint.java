package dev.vmcp.sessions.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.ProtocolVersions;
import dev.vmcp.sessions.security.CallerResolver;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.CreationRefusedException;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionService;

/**
 * The MCP Streamable HTTP endpoint ({@code POST}, {@code GET}, {@code DELETE} on
 * {@code /mcp}). Any pod serves any request of any session: everything needed is in the
 * session's record or derived from it.
 */
@RestController
@Hidden
public class McpEndpoint {

	public static final String PATH = "/mcp";

	static final String SESSION_HEADER = "Mcp-Session-Id";

	public static final String PROTOCOL_HEADER = "MCP-Protocol-Version";

	private final SessionService sessions;

	private final CallerResolver callers;

	private final Initializer initializer;

	private final McpDispatcher dispatcher;

	private final StandaloneStreams streams;

	private final MemberMessages memberMessages;

	private final JsonMapper json;

	private final long maxRequestBytes;

	private final List<RevisionFlow> revisions;

	/**
	 * @param revisions the flows of revisions other than the 2025 ones, asked in turn
	 * whether a POST is theirs; the 2025 flow answers the rest
	 */
	McpEndpoint(SessionService sessions, CallerResolver callers, Initializer initializer, McpDispatcher dispatcher,
			StandaloneStreams streams, MemberMessages memberMessages, JsonMapper json, McpProperties properties,
			List<RevisionFlow> revisions) {
		this.revisions = List.copyOf(revisions);
		this.sessions = sessions;
		this.callers = callers;
		this.initializer = initializer;
		this.dispatcher = dispatcher;
		this.streams = streams;
		this.memberMessages = memberMessages;
		this.json = json;
		this.maxRequestBytes = properties.maxRequestSize().toBytes();
	}

	@PostMapping(PATH)
	void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
		requireJsonBody(request);
		ClientAccepts accepts = ClientAccepts.parse(request.getHeader("Accept"));
		if (!accepts.any()) {
			throw new McpException(HttpStatus.NOT_ACCEPTABLE, JsonRpc.INVALID_REQUEST,
					"Accept must allow application/json or text/event-stream");
		}
		ObjectNode message = readMessage(request);
		Caller caller = this.callers.resolve(request);
		for (RevisionFlow revision : this.revisions) {
			if (revision.claims(request, message)) {
				revision.post(caller, message, accepts, request, response);
				return;
			}
		}
		if (JsonRpc.isRequest(message) && message.path("method").asString("").equals("initialize")) {
			initialize(caller, message, accepts, response);
			return;
		}
		SessionContext context = session(request, caller);
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

	@GetMapping(PATH)
	void get(HttpServletRequest request, HttpServletResponse response) {
		if (!ClientAccepts.parse(request.getHeader("Accept")).eventStream()) {
			throw new McpException(HttpStatus.NOT_ACCEPTABLE, JsonRpc.INVALID_REQUEST,
					"Accept must allow text/event-stream");
		}
		this.streams.serve(session(request, this.callers.resolve(request)), response);
	}

	@DeleteMapping(PATH)
	void delete(HttpServletRequest request, HttpServletResponse response) {
		SessionId id = sessionId(request);
		requireSupportedVersion(request);
		this.sessions.terminate(this.callers.resolve(request), id);
		this.streams.end(id);
		response.setStatus(HttpStatus.OK.value());
	}

	private void initialize(Caller caller, ObjectNode message, ClientAccepts accepts, HttpServletResponse response) {
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
		response.setHeader(SESSION_HEADER, context.id().value());
		new ClientResponse(response, accepts, this.json, this.memberMessages.dialect(context), McpMetrics.GATEWAY)
			.answer(JsonRpc.result(id, initialized.result()));
	}

	private SessionContext session(HttpServletRequest request, Caller caller) {
		SessionId id = sessionId(request);
		requireSupportedVersion(request);
		return new SessionContext(caller, this.sessions.use(caller, id), this.sessions);
	}

	private static SessionId sessionId(HttpServletRequest request) {
		String header = request.getHeader(SESSION_HEADER);
		if (header == null || header.isBlank()) {
			throw McpException.badRequest("Mcp-Session-Id header is required (initialize first)");
		}
		return new SessionId(header.strip());
	}

	/** Missing means 2025-03-26, as the specification says to assume. */
	private static void requireSupportedVersion(HttpServletRequest request) {
		String version = request.getHeader(PROTOCOL_HEADER);
		if (version != null && !ProtocolVersions.isSupported(version.strip())) {
			throw McpException.badRequest("Unsupported MCP-Protocol-Version: " + version.strip() + "; supported: "
					+ String.join(", ", ProtocolVersions.SUPPORTED));
		}
	}

	private static void requireJsonBody(HttpServletRequest request) {
		String contentType = request.getContentType();
		if (contentType == null
				|| !MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType))) {
			throw new McpException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, JsonRpc.INVALID_REQUEST,
					"Content-Type must be application/json");
		}
	}

	private ObjectNode readMessage(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > this.maxRequestBytes) {
			throw tooLarge();
		}
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, this.maxRequestBytes + 1));
		}
		if (body.length > this.maxRequestBytes) {
			throw tooLarge();
		}
		JsonNode message;
		try {
			message = this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new McpException(HttpStatus.BAD_REQUEST, JsonRpc.PARSE_ERROR, "Parse error: the body is not JSON");
		}
		if (message.isArray()) {
			throw McpException.badRequest("JSON-RPC batches are not supported; send one message per request");
		}
		if (!(message instanceof ObjectNode object) || !"2.0".equals(object.path("jsonrpc").asString(""))
				|| !(JsonRpc.isRequest(object) || JsonRpc.isNotification(object) || JsonRpc.isResponse(object))) {
			throw McpException.badRequest("Not a JSON-RPC 2.0 request, notification or response");
		}
		JsonRpc.malformation(object).ifPresent((problem) -> {
			throw McpException.badRequest("Invalid Request: " + problem);
		});
		return object;
	}

	private McpException tooLarge() {
		return new McpException(HttpStatus.CONTENT_TOO_LARGE, JsonRpc.INVALID_REQUEST,
				"The message is larger than " + this.maxRequestBytes + " bytes");
	}

}
