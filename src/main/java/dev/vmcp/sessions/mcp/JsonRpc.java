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
final class JsonRpc {

	static final int PARSE_ERROR = -32700;

	static final int INVALID_REQUEST = -32600;

	static final int METHOD_NOT_FOUND = -32601;

	static final int INVALID_PARAMS = -32602;

	static final int INTERNAL_ERROR = -32603;

	/** The session is unknown, terminated or expired (as the MCP SDKs answer it). */
	static final int SESSION_NOT_FOUND = -32001;

	/** A member backend could not be reached, failed, or did not answer in time. */
	static final int BACKEND_UNAVAILABLE = -32010;

	/**
	 * The caller may not create a session now: it holds as many as it may, or creates
	 * them too fast (HTTP 429).
	 */
	static final int TOO_MANY_SESSIONS = -32029;

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private JsonRpc() {
	}

	static boolean isRequest(JsonNode message) {
		return message.has("method") && message.has("id");
	}

	static boolean isNotification(JsonNode message) {
		return message.has("method") && !message.has("id");
	}

	static boolean isResponse(JsonNode message) {
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

	static ObjectNode result(JsonNode id, JsonNode result) {
		ObjectNode message = envelope(id);
		message.set("result", result);
		return message;
	}

	static ObjectNode emptyResult(JsonNode id) {
		return result(id, NODES.objectNode());
	}

	static ObjectNode error(@Nullable JsonNode id, int code, String text) {
		ObjectNode message = envelope((id != null) ? id : NullNode.getInstance());
		ObjectNode error = message.putObject("error");
		error.put("code", code);
		error.put("message", text);
		return message;
	}

	static ObjectNode notification(String method) {
		ObjectNode message = NODES.objectNode();
		message.put("jsonrpc", "2.0");
		message.put("method", method);
		return message;
	}

	static ObjectNode objectNode() {
		return NODES.objectNode();
	}

	private static ObjectNode envelope(JsonNode id) {
		ObjectNode message = NODES.objectNode();
		message.put("jsonrpc", "2.0");
		message.set("id", id);
		return message;
	}

}
