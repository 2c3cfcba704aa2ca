package dev.vmcp.sessions.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import dev.vmcp.sessions.session.MetadataPatch;

/**
 * Reads request bodies strictly: metadata values are strings (or {@code null} in a merge
 * patch), never numbers or objects silently turned into strings; unknown fields are
 * refused so that a typo does not pass unnoticed.
 */
final class RequestBodies {

	private static final Set<String> CREATE_FIELDS = Set.of("metadata", "backends");

	private RequestBodies() {
	}

	/** The members named by a create request, if it names any. */
	static Optional<List<String>> backends(@Nullable JsonNode body) {
		JsonNode backends = requireObject(body, CREATE_FIELDS).get("backends");
		if (backends == null || backends.isNull()) {
			return Optional.empty();
		}
		if (!backends.isArray()) {
			throw new InvalidRequestException("'backends' must be an array of backend names");
		}
		List<String> names = new ArrayList<>();
		for (JsonNode name : backends) {
			if (!name.isString()) {
				throw new InvalidRequestException("'backends' must contain only strings");
			}
			if (names.contains(name.asString())) {
				throw new InvalidRequestException("'backends' names '" + name.asString() + "' twice");
			}
			names.add(name.asString());
		}
		return Optional.of(names);
	}

	/** The initial metadata of a create request. */
	static Map<String, String> metadata(@Nullable JsonNode body) {
		JsonNode metadata = requireObject(body, CREATE_FIELDS).get("metadata");
		if (metadata == null || metadata.isNull()) {
			return Map.of();
		}
		Map<String, String> values = new LinkedHashMap<>();
		readObject(metadata, "metadata", false).forEach((key, value) -> values.put(key, value));
		return values;
	}

	/** A JSON merge patch over the metadata. */
	static MetadataPatch metadataPatch(@Nullable JsonNode body) {
		if (body == null) {
			throw new InvalidRequestException("A JSON merge patch object is required");
		}
		return new MetadataPatch(readObject(body, "the merge patch", true));
	}

	/** The version named by an {@code If-Match} header; {@code *} names none. */
	static OptionalLong ifMatch(@Nullable String header) {
		if (header == null || header.strip().equals("*")) {
			return OptionalLong.empty();
		}
		String tag = header.strip();
		if (tag.startsWith("W/")) {
			tag = tag.substring(2);
		}
		if (tag.length() < 3 || !tag.startsWith("\"") || !tag.endsWith("\"")) {
			throw new InvalidRequestException("If-Match must be a quoted version, for example \"3\"");
		}
		try {
			return OptionalLong.of(Long.parseLong(tag.substring(1, tag.length() - 1)));
		}
		catch (NumberFormatException ex) {
			throw new InvalidRequestException("If-Match must be a quoted version, for example \"3\"");
		}
	}

	private static JsonNode requireObject(@Nullable JsonNode body, Set<String> allowedFields) {
		if (body == null || body.isNull() || body.isMissingNode()) {
			return JsonNodeFactory.instance.objectNode();
		}
		if (!body.isObject()) {
			throw new InvalidRequestException("The request body must be a JSON object");
		}
		for (String field : body.propertyNames()) {
			if (!allowedFields.contains(field)) {
				throw new InvalidRequestException("Unknown field '" + field + "'; expected one of " + allowedFields);
			}
		}
		return body;
	}

	private static Map<String, @Nullable String> readObject(JsonNode node, String what, boolean nullAllowed) {
		if (!node.isObject()) {
			throw new InvalidRequestException(what + " must be a JSON object of string values");
		}
		Map<String, @Nullable String> values = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			if (entry.getKey().isBlank()) {
				throw new InvalidRequestException("Metadata keys must not be blank");
			}
			JsonNode value = entry.getValue();
			if (value.isNull() && nullAllowed) {
				values.put(entry.getKey(), null);
			}
			else if (value.isString()) {
				values.put(entry.getKey(), value.asString());
			}
			else {
				throw new InvalidRequestException(
						"Metadata value of '" + entry.getKey() + "' must be a string" + (nullAllowed ? " or null" : "")
								+ ", not " + value.getNodeType().name().toLowerCase(Locale.ROOT));
			}
		}
		return values;
	}

}
