package dev.vmcp.sessions.mcp;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON-RPC 2.0 messages: what kind a message is, and the gateway's own answers.
 */
public final class JsonRpc {

	public static final int PARSE_ERROR = -32700;

	public static final int INVALID_REQUEST = -32600;

	public static final int METHOD_NOT_FOUND = -32601;

	public static final int INVALID_PARAMS = -32602;

	public static final int INTERNAL_ERROR = -32603;

	/**
	 * The code 2025 revisions give a resource no member serves; 2026-07-28 gives
	 * {@link #INVALID_PARAMS} instead, with the same data.
	 */
	public static final int RESOURCE_NOT_FOUND = -32002;

	/** The session is unknown, terminated or expired (as the MCP SDKs answer it). */
	public static final int SESSION_NOT_FOUND = -32001;

	/** A member backend could not be reached, failed, or did not answer in time. */
	public static final int BACKEND_UNAVAILABLE = -32010;

	/**
	 * The caller may not create a session now: it holds as many as it may, or creates
	 * them too fast (HTTP 429).
	 */
	public static final int TOO_MANY_SESSIONS = -32029;

	/** 2026-07-28: the headers do not match the body, or a required one is missing. */
	public static final int HEADER_MISMATCH = -32020;

	/** 2026-07-28: the request needs a client capability the client did not declare. */
	public static final int MISSING_REQUIRED_CLIENT_CAPABILITY = -32021;

	/** 2026-07-28: the request's protocol version is not one the server speaks. */
	public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private JsonRpc() {
	}

	public static boolean isRequest(JsonNode message) {
		return message.has("method") && message.has("id");
	}

	public static boolean isNotification(JsonNode message) {
		return message.has("method") && !message.has("id");
	}

	public static boolean isResponse(JsonNode message) {
		return !message.has("method") && message.has("id") && (message.has("result") || message.has("error"));
	}

	/**
	 * What makes a message unfit to be passed on, if anything: MCP ids are strings or
	 * integers (never null, a fraction or an object), methods are strings. Such a message
	 * is refused whole rather than forwarded or answered with an id changed on the way.
	 */
	static Optional<String> malformation(JsonNode message) {
		JsonNode id = message.get("id");
		if (id != null && !(id.isString() || id.isIntegralNumber())) {
			return Optional.of("the id must be a string or an integer");
		}
		JsonNode method = message.get("method");
		if (method != null && !method.isString()) {
			return Optional.of("the method must be a string");
		}
		return Optional.empty();
	}

	public static ObjectNode result(JsonNode id, JsonNode result) {
		ObjectNode message = envelope(id);
		message.set("result", result);
		return message;
	}

	public static ObjectNode emptyResult(JsonNode id) {
		return result(id, NODES.objectNode());
	}

	public static ObjectNode error(@Nullable JsonNode id, int code, String text) {
		ObjectNode message = envelope((id != null) ? id : NullNode.getInstance());
		ObjectNode error = message.putObject("error");
		error.put("code", code);
		error.put("message", text);
		return message;
	}

	public static ObjectNode notification(String method) {
		ObjectNode message = NODES.objectNode();
		message.put("jsonrpc", "2.0");
		message.put("method", method);
		return message;
	}

	public static ObjectNode objectNode() {
		return NODES.objectNode();
	}

	private static ObjectNode envelope(JsonNode id) {
		ObjectNode message = NODES.objectNode();
		message.put("jsonrpc", "2.0");
		message.set("id", id);
		return message;
	}

}
