package dev.vmcp.sessions.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static java.util.Map.entry;

/**
 * The {@code requestedSchema}s of the elicitation tools: flat objects of primitive
 * properties, the only shape MCP allows for form elicitation. The field names, types and
 * defaults are what the scenarios check one by one.
 */
final class ElicitationSchemas {

	private ElicitationSchemas() {
	}

	/**
	 * User name and e-mail address, both required ({@code tools-call-elicitation}).
	 * @return the schema
	 */
	static Map<String, Object> contactDetails() {
		return objectSchema(List.of("username", "email"), entry("username", property("string", "User's response")),
				entry("email", property("string", "User's email address")));
	}

	/**
	 * One property of each primitive type, each with a default (SEP-1034,
	 * {@code elicitation-sep1034-defaults}).
	 * @return the schema
	 */
	static Map<String, Object> primitivesWithDefaults() {
		return objectSchema(List.of(), entry("name", property("string", "Full name", "default", "John Doe")),
				entry("age", property("integer", "Age in years", "default", 30)),
				entry("score", property("number", "Score", "default", 95.5)),
				entry("status",
						property("string", "Account status", "enum", List.of("active", "inactive", "pending"),
								"default", "active")),
				entry("verified", property("boolean", "Whether verified", "default", true)));
	}

	/**
	 * The five ways to offer choices (SEP-1330, {@code elicitation-sep1330-enums}):
	 * single or multiple selection, with or without titles, and the deprecated
	 * {@code enumNames}.
	 * @return the schema
	 */
	static Map<String, Object> enumVariants() {
		List<String> options = List.of("option1", "option2", "option3");
		return objectSchema(List.of(), entry("untitledSingle", property("string", "Pick one", "enum", options)),
				entry("titledSingle",
						property("string", "Pick one", "oneOf",
								titled("First Option", "Second Option", "Third Option"))),
				entry("legacyEnum",
						property("string", "Pick one", "enum", List.of("opt1", "opt2", "opt3"), "enumNames",
								List.of("Option One", "Option Two", "Option Three"))),
				entry("untitledMulti",
						property("array", "Pick any", "items", Map.of("type", "string", "enum", options))),
				entry("titledMulti", property("array", "Pick any", "items",
						Map.of("anyOf", titled("First Choice", "Second Choice", "Third Choice")))));
	}

	/** Choices {@code value1}, {@code value2}, ... each with its title. */
	private static List<Map<String, Object>> titled(String... titles) {
		return IntStream.range(0, titles.length)
			.mapToObj((i) -> Map.<String, Object>of("const", "value" + (i + 1), "title", titles[i]))
			.toList();
	}

	/**
	 * A property schema.
	 * @param type its JSON type
	 * @param description its description
	 * @param keywordsAndValues further keywords, each followed by its value
	 * @return the schema, keywords in the order given
	 */
	private static Map<String, Object> property(String type, String description, Object... keywordsAndValues) {
		Map<String, Object> property = new LinkedHashMap<>();
		property.put("type", type);
		property.put("description", description);
		for (int i = 0; i < keywordsAndValues.length; i += 2) {
			property.put((String) keywordsAndValues[i], keywordsAndValues[i + 1]);
		}
		return property;
	}

	@SafeVarargs
	private static Map<String, Object> objectSchema(List<String> required,
			Map.Entry<String, Map<String, Object>>... properties) {
		Map<String, Object> propertiesByName = new LinkedHashMap<>();
		for (Map.Entry<String, Map<String, Object>> property : properties) {
			propertiesByName.put(property.getKey(), property.getValue());
		}
		Map<String, Object> schema = new LinkedHashMap<>();
		schema.put("type", "object");
		schema.put("properties", propertiesByName);
		if (!required.isEmpty()) {
			schema.put("required", required);
		}
		return schema;
	}

}
