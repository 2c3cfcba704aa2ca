package dev.vmcp.sessions.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.backend.StatelessHeaders;

/**
 * The {@code Mcp-Param-{Name}} headers of a 2026-07-28 {@code tools/call} (SEP-2243): a
 * tool's input schema marks properties with {@code x-mcp-header}, and a request carries
 * each marked argument it has in a header of that name as well. The gateway checks a
 * client's headers against the body it routes on, and writes the headers a stateless
 * member expects from the arguments it forwards.
 */
public final class ParameterHeaders {

	public static final String PREFIX = "Mcp-Param-";

	private static final String ANNOTATION = "x-mcp-header";

	private ParameterHeaders() {
	}

	/** The headers the arguments of a call to {@code tool} carry. */
	public static Map<String, String> of(JsonNode tool, JsonNode arguments) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (Marked marked : marked(tool)) {
			headerValue(marked.valueIn(arguments)).ifPresent(
					(value) -> headers.put(PREFIX + marked.header(),
							(value.isEmpty() || !StatelessHeaders.isValidFieldValue(value)
									|| !value.strip().equals(value) || value.startsWith("=?base64?"))
											? StatelessHeaders.encode(value) : value));
		}
		return headers;
	}

	/**
	 * Checks the client's headers against the arguments of its call to {@code tool}.
	 * @param headers the client's header of a name, or null
	 * @return what does not match, if anything
	 */
	public static Optional<String> mismatch(JsonNode tool, JsonNode arguments,
			Function<String, @Nullable String> headers) {
		for (Marked marked : marked(tool)) {
			String name = PREFIX + marked.header();
			String header = headers.apply(name);
			JsonNode value = marked.valueIn(arguments);
			if (header == null) {
				if (value != null && !value.isNull()) {
					return Optional.of(name + " is missing while the body carries " + marked.header());
				}
				continue;
			}
			if (!StatelessHeaders.isValidFieldValue(header)) {
				return Optional.of(name + " has characters a header may not carry");
			}
			String decoded;
			try {
				decoded = StatelessHeaders.decode(header.strip());
			}
			catch (IllegalArgumentException ex) {
				return Optional.of(name + " is not valid Base64");
			}
			if (value == null || value.isNull() || !matches(decoded, value)) {
				return Optional.of(name + " does not match the body");
			}
		}
		return Optional.empty();
	}

	/** Integers compare as numbers ({@code 42.0} is {@code 42}), the rest as text. */
	private static boolean matches(String header, JsonNode value) {
		if (value.isNumber()) {
			try {
				return new java.math.BigDecimal(header).compareTo(value.decimalValue()) == 0;
			}
			catch (NumberFormatException ex) {
				return false;
			}
		}
		return headerValue(value).map(header::equals).orElse(false);
	}

	private static Optional<String> headerValue(@Nullable JsonNode value) {
		if (value == null || value.isNull()) {
			return Optional.empty();
		}
		if (value.isString()) {
			return Optional.of(value.asString());
		}
		if (value.isBoolean()) {
			return Optional.of(value.asBoolean() ? "true" : "false");
		}
		if (value.isNumber()) {
			return Optional.of(value.isIntegralNumber() ? value.bigIntegerValue().toString() : value.toString());
		}
		return Optional.empty();
	}

	/** The marked properties of the tool's input schema, nested ones included. */
	private static List<Marked> marked(JsonNode tool) {
		List<Marked> found = new ArrayList<>();
		collect(tool.path("inputSchema"), List.of(), found);
		return found;
	}

	private static void collect(JsonNode schema, List<String> path, List<Marked> found) {
		schema.path("properties").properties().forEach((property) -> {
			List<String> propertyPath = new ArrayList<>(path);
			propertyPath.add(property.getKey());
			JsonNode header = property.getValue().get(ANNOTATION);
			if (header != null && header.isString() && !header.asString().isBlank()) {
				found.add(new Marked(header.asString(), List.copyOf(propertyPath)));
			}
			collect(property.getValue(), propertyPath, found);
		});
	}

	/** A marked property: the header's name and where its value is in the arguments. */
	private record Marked(String header, List<String> path) {

		@Nullable JsonNode valueIn(JsonNode arguments) {
			JsonNode value = arguments;
			for (String key : this.path) {
				value = value.get(key);
				if (value == null) {
					return null;
				}
			}
			return value;
		}

	}

}
