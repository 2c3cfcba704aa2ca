package dev.vmcp.sessions.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway presented as one server from what each member said of itself (its
 * {@code initialize} or {@code server/discover} result): the union of the members'
 * capabilities and their instructions, each under its member's name.
 */
public final class MemberDescriptions {

	private MemberDescriptions() {
	}

	/**
	 * Only what at least one member offers; where members offer the same capability with
	 * different options ({@code listChanged}, {@code subscribe}), an option any member
	 * has is on.
	 */
	public static ObjectNode mergedCapabilities(List<JsonNode> memberResults) {
		ObjectNode merged = JsonRpc.objectNode();
		for (JsonNode result : memberResults) {
			result.path("capabilities")
				.properties()
				.forEach((entry) -> merge(merged, entry.getKey(), entry.getValue()));
		}
		return merged;
	}

	/**
	 * The members' instructions, each introduced by its member's name, in membership
	 * order.
	 * @param memberResults each member's result by member name
	 */
	public static Optional<String> instructions(Map<String, JsonNode> memberResults) {
		List<String> instructions = new ArrayList<>();
		memberResults.forEach((member, result) -> {
			String text = result.path("instructions").asString("");
			if (!text.isBlank()) {
				instructions.add(member + ": " + text);
			}
		});
		return instructions.isEmpty() ? Optional.empty() : Optional.of(String.join("\n\n", instructions));
	}

	private static void merge(ObjectNode merged, String capability, JsonNode offered) {
		JsonNode present = merged.get(capability);
		if (present == null) {
			merged.set(capability, offered.deepCopy());
			return;
		}
		if (present instanceof ObjectNode options && offered.isObject()) {
			offered.properties().forEach((option) -> {
				JsonNode current = options.get(option.getKey());
				if (current == null || (current.isBoolean() && option.getValue().asBoolean(false))) {
					options.set(option.getKey(), option.getValue().deepCopy());
				}
			});
		}
	}

}
