package dev.vmcp.sessions.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The digest of a request's arguments: the lowercase hex SHA-256 of their canonical JSON
 * in UTF-8. Canonical as in RFC 8785 (JCS) for what clients send: object members sorted
 * by their names (UTF-16 code units), arrays in their order, no whitespace, strings
 * escaped minimally; numbers as read (an integer as written, a fraction in a double's
 * shortest form). So {@code {"b":1,"a":"x"}} and {@code { "a": "x", "b": 1 }} have the
 * same digest, and anyone holding the arguments can compute it (for strings, integers,
 * booleans and nulls, {@code jq -cjS .} prints the same text). Thread-safe.
 */
final class ArgumentDigest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ArgumentDigest() {
	}

	static String of(JsonNode arguments) {
		byte[] canonical = canonical(arguments).getBytes(StandardCharsets.UTF_8);
		return HexFormat.of().formatHex(sha256().digest(canonical));
	}

	/** The canonical JSON text of {@code value}. */
	static String canonical(JsonNode value) {
		return JSON.writeValueAsString(sorted(value));
	}

	private static JsonNode sorted(JsonNode node) {
		if (node instanceof ObjectNode object) {
			List<String> names = new ArrayList<>(object.propertyNames());
			names.sort(null);
			ObjectNode sorted = object.objectNode();
			names.forEach((name) -> sorted.set(name, sorted(object.get(name))));
			return sorted;
		}
		if (node instanceof ArrayNode array) {
			ArrayNode sorted = array.arrayNode(array.size());
			array.forEach((element) -> sorted.add(sorted(element)));
			return sorted;
		}
		return node;
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is unavailable", ex);
		}
	}

}
