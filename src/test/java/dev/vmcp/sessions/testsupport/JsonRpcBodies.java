package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;

/**
 * Reading and writing JSON-RPC bodies with the SDK's own JSON mapping: recognising an
 * {@code initialize} request, writing an error, and converting between a single JSON body
 * and a {@code text/event-stream} of SSE events.
 */
final class JsonRpcBodies {

	/**
	 * The error code the MCP TypeScript SDK uses for an unknown session; JSON-RPC leaves
	 * -32000 to -32099 to servers.
	 */
	static final int SESSION_NOT_FOUND = -32001;

	private static final McpJsonMapper JSON_MAPPER = McpJsonDefaults.getMapper();

	private JsonRpcBodies() {
	}

	/** The method of a request or notification; empty for anything else. */
	static String method(byte[] body) {
		return parse(new String(body, StandardCharsets.UTF_8)).map((message) -> switch (message) {
			case JSONRPCRequest request -> request.method();
			case McpSchema.JSONRPCNotification notification -> notification.method();
			default -> "";
		}).orElse("");
	}

	static boolean isInitializeRequest(byte[] body) {
		return request(body).map(JSONRPCRequest::method).filter(McpSchema.METHOD_INITIALIZE::equals).isPresent();
	}

	/**
	 * A JSON-RPC error answering the given request body, with the request's id if it has
	 * one and {@code null} otherwise, as JSON-RPC asks.
	 * @param requestBody the body of the request being answered, may be empty
	 * @param code the error code
	 * @param message the error message
	 * @return the error response
	 */
	static String error(byte[] requestBody, int code, String message) {
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("jsonrpc", McpSchema.JSONRPC_VERSION);
		response.put("id", request(requestBody).map(JSONRPCRequest::id).orElse(null));
		response.put("error", Map.of("code", code, "message", message));
		try {
			return JSON_MAPPER.writeValueAsString(response);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Frame a JSON-RPC message as one SSE {@code message} event, the way the SDK frames
	 * the messages it streams.
	 * @param json the JSON-RPC message
	 * @return the event stream text
	 */
	static String toSseEvent(String json) {
		return "event: message\ndata: " + json + "\n\n";
	}

	/**
	 * Find the JSON-RPC response in an SSE stream. Other messages the server may have
	 * streamed before it (notifications, requests to the client) have no place in a
	 * single JSON body and are dropped.
	 * @param eventStream the {@code text/event-stream} body
	 * @return the data of the last event holding a JSON-RPC response
	 */
	static Optional<String> responseInSseEvents(String eventStream) {
		return sseEventData(eventStream).stream()
			.filter((data) -> parse(data).filter(JSONRPCResponse.class::isInstance).isPresent())
			.reduce((first, second) -> second);
	}

	private static List<String> sseEventData(String eventStream) {
		List<String> events = new ArrayList<>();
		StringBuilder data = new StringBuilder();
		for (String line : eventStream.split("\r?\n", -1)) {
			if (line.isEmpty()) {
				endEvent(data, events);
			}
			else if (line.startsWith("data:")) {
				appendData(data, line.substring("data:".length()));
			}
		}
		endEvent(data, events);
		return events;
	}

	private static void appendData(StringBuilder data, String value) {
		if (!data.isEmpty()) {
			data.append('\n');
		}
		data.append(value.startsWith(" ") ? value.substring(1) : value);
	}

	private static void endEvent(StringBuilder data, List<String> events) {
		if (!data.isEmpty()) {
			events.add(data.toString());
			data.setLength(0);
		}
	}

	private static Optional<JSONRPCRequest> request(byte[] body) {
		return parse(new String(body, StandardCharsets.UTF_8)).filter(JSONRPCRequest.class::isInstance)
			.map(JSONRPCRequest.class::cast);
	}

	private static Optional<JSONRPCMessage> parse(String json) {
		try {
			return Optional.of(McpSchema.deserializeJsonRpcMessage(JSON_MAPPER, json));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

}
