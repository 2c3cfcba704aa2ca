package dev.vmcp.sessions.policy;

import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Turns claims and JSON items into the values CEL evaluates: maps, lists, strings, 64-bit
 * integers, doubles and booleans. Times become seconds since the epoch (as JWT claims are
 * written); anything else its text. JSON nulls are left out, so {@code has()} is false.
 */
final class CelValues {

	private CelValues() {
	}

	static Map<String, Object> ofClaims(Map<String, Object> claims) {
		Map<String, Object> values = new LinkedHashMap<>();
		claims.forEach((name, value) -> values.put(name, ofClaim(value)));
		return values;
	}

	static Object ofJson(JsonNode node) {
		if (node.isObject()) {
			Map<String, Object> values = new LinkedHashMap<>();
			node.properties().forEach((field) -> {
				if (!field.getValue().isNull()) {
					values.put(field.getKey(), ofJson(field.getValue()));
				}
			});
			return values;
		}
		if (node.isArray()) {
			List<Object> values = new ArrayList<>();
			node.forEach((element) -> values.add(ofJson(element)));
			return values;
		}
		if (node.isIntegralNumber()) {
			return node.asLong();
		}
		if (node.isNumber()) {
			return node.asDouble();
		}
		if (node.isBoolean()) {
			return node.asBoolean();
		}
		return node.asString("");
	}

	private static Object ofClaim(Object value) {
		return switch (value) {
			case String text -> text;
			case Boolean bool -> bool;
			case Integer number -> number.longValue();
			case Long number -> number;
			case Number number -> number.doubleValue();
			case Instant instant -> instant.getEpochSecond();
			case URL url -> url.toString();
			case URI uri -> uri.toString();
			case Collection<?> collection -> collection.stream().map(CelValues::ofClaim).toList();
			case Map<?, ?> map -> {
				Map<String, Object> values = new LinkedHashMap<>();
				map.forEach((name, nested) -> values.put(String.valueOf(name), ofClaim(nested)));
				yield values;
			}
			default -> value.toString();
		};
	}

}
