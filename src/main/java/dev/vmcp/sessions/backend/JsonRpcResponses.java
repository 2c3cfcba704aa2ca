package dev.vmcp.sessions.backend;

import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the JSON-RPC response to a request in a Streamable HTTP response body, which the
 * server may send either as one JSON message or as a stream of server-sent events.
 */
final class JsonRpcResponses {

	private static final String EVENT_STREAM = "text/event-stream";

	private final JsonMapper json;

	JsonRpcResponses(JsonMapper json) {
		this.json = json;
	}

	/** The message answering request {@code id}, if the body holds one. */
	Optional<JsonNode> find(String contentType, String body, String id) {
		if (contentType.startsWith(EVENT_STREAM)) {
			return findInEventStream(body, id);
		}
		return answer(this.json.readTree(body), id);
	}

	private Optional<JsonNode> findInEventStream(String body, String id) {
		StringBuilder data = new StringBuilder();
		for (String line : body.split("\r?\n", -1)) {
			if (line.startsWith("data:")) {
				data.append(line.substring(5).strip());
			}
			else if (line.isEmpty() && !data.isEmpty()) {
				Optional<JsonNode> found = answer(this.json.readTree(data.toString()), id);
				if (found.isPresent()) {
					return found;
				}
				data.setLength(0);
			}
		}
		return data.isEmpty() ? Optional.empty() : answer(this.json.readTree(data.toString()), id);
	}

	private static Optional<JsonNode> answer(JsonNode message, String id) {
		JsonNode messageId = message.get("id");
		boolean matches = messageId != null && messageId.isString() && messageId.asString().equals(id);
		return matches ? Optional.of(message) : Optional.empty();
	}

}
