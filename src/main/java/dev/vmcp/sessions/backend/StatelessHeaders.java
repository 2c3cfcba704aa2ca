package dev.vmcp.sessions.backend;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * The headers a 2026-07-28 request mirrors from its body, so that intermediaries route
 * without parsing it: {@code Mcp-Method} always, {@code Mcp-Name} for the methods that
 * name a tool, prompt, resource or task. Made from the body actually sent, after any
 * renaming, and read back the same way to check a client's.
 */
public final class StatelessHeaders {

	public static final String METHOD = "Mcp-Method";

	public static final String NAME = "Mcp-Name";

	private static final String SENTINEL_START = "=?base64?";

	private static final String SENTINEL_END = "?=";

	private StatelessHeaders() {
	}

	/** The headers for {@code request}, a JSON-RPC request. */
	public static Map<String, String> of(JsonNode request) {
		String method = request.path("method").asString("");
		return name(request).map((name) -> Map.of(METHOD, method, NAME, encode(name)))
			.orElseGet(() -> Map.of(METHOD, method));
	}

	/** The body value {@code Mcp-Name} mirrors, for the methods that have one. */
	public static Optional<String> name(JsonNode request) {
		JsonNode params = request.path("params");
		JsonNode value = switch (request.path("method").asString("")) {
			case "tools/call", "prompts/get" -> params.get("name");
			case "resources/read" -> params.get("uri");
			case "tasks/get", "tasks/update", "tasks/cancel" -> params.get("taskId");
			default -> null;
		};
		return (value != null && value.isString()) ? Optional.of(value.asString()) : Optional.empty();
	}

	/**
	 * A value as a header carries it: as it is when it is plain visible ASCII, else in
	 * the Base64 sentinel form.
	 */
	public static String encode(String value) {
		if (isPlain(value)) {
			return value;
		}
		return SENTINEL_START + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))
				+ SENTINEL_END;
	}

	/**
	 * A header's value as the body has it: decoded when in the Base64 sentinel form.
	 * @throws IllegalArgumentException when the sentinel form holds no valid, padded
	 * Base64
	 */
	public static String decode(String header) {
		if (header.startsWith(SENTINEL_START) && header.endsWith(SENTINEL_END)
				&& header.length() >= SENTINEL_START.length() + SENTINEL_END.length()) {
			String encoded = header.substring(SENTINEL_START.length(), header.length() - SENTINEL_END.length());
			if (encoded.length() % 4 != 0) {
				throw new IllegalArgumentException("Base64 without its padding");
			}
			return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
		}
		return header;
	}

	/**
	 * Whether a header value has only the characters a field value may have: visible
	 * ASCII, space and tab.
	 */
	public static boolean isValidFieldValue(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if ((c < 0x20 && c != '\t') || c > 0x7E) {
				return false;
			}
		}
		return true;
	}

	private static boolean isPlain(String value) {
		if (value.isEmpty()) {
			return true;
		}
		if (value.startsWith(SENTINEL_START) && value.endsWith(SENTINEL_END)) {
			return false;
		}
		if (Character.isWhitespace(value.charAt(0)) || Character.isWhitespace(value.charAt(value.length() - 1))) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7E) {
				return false;
			}
		}
		return true;
	}

}
