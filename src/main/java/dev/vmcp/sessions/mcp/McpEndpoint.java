package dev.vmcp.sessions.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.security.CallerResolver;
import dev.vmcp.sessions.session.Caller;

/**
 * The MCP Streamable HTTP endpoint's {@code POST} on {@code /mcp}: checks what every
 * revision checks (content type, {@code Accept}, size, JSON-RPC shape), resolves the
 * caller, and hands the message to the revision that claims it: 2026-07-28 when the
 * message says so, a 2025 revision otherwise. Any pod serves any request.
 */
@RestController
@Hidden
public class McpEndpoint {

	public static final String PATH = "/mcp";

	public static final String SESSION_HEADER = "Mcp-Session-Id";

	public static final String PROTOCOL_HEADER = "MCP-Protocol-Version";

	private final CallerResolver callers;

	private final List<RevisionFlow> revisions;

	private final JsonMapper json;

	private final long maxRequestBytes;

	/**
	 * @param revisions each revision's flow, asked in this order whether a POST is
	 * theirs; the last (2025) claims whatever the others do not
	 */
	McpEndpoint(CallerResolver callers, List<RevisionFlow> revisions, JsonMapper json, McpProperties properties) {
		this.callers = callers;
		this.revisions = List.copyOf(revisions);
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
		throw new IllegalStateException("No revision claims the message");
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
