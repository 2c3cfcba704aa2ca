package dev.vmcp.sessions.mcp;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which client capability a server's question needs, in the form of
 * {@code MissingRequiredClientCapabilityError}'s {@code data.requiredCapabilities}: form
 * elicitation needs {@code elicitation}, URL elicitation {@code elicitation.url},
 * sampling {@code sampling} (with tools, {@code sampling.tools}), a roots listing
 * {@code roots}. Any other method needs nothing a client declares.
 */
public final class RequiredCapabilities {

	private RequiredCapabilities() {
	}

	/**
	 * What {@code question} needs that {@code declared} (the client's capabilities)
	 * lacks; an empty object when nothing.
	 */
	public static ObjectNode missing(JsonNode question, JsonNode declared) {
		JsonNode params = question.path("params");
		ObjectNode missing = JsonRpc.objectNode();
		switch (question.path("method").asString("")) {
			case "elicitation/create" -> {
				if (!declared.has("elicitation")) {
					missing.putObject("elicitation");
				}
				else if (params.path("mode").asString("").equals("url") && !declared.path("elicitation").has("url")) {
					missing.putObject("elicitation").putObject("url");
				}
			}
			case "sampling/createMessage" -> {
				if (!declared.has("sampling")) {
					missing.putObject("sampling");
				}
				else if (params.has("tools") && !declared.path("sampling").has("tools")) {
					missing.putObject("sampling").putObject("tools");
				}
			}
			case "roots/list" -> {
				if (!declared.has("roots")) {
					missing.putObject("roots");
				}
			}
			default -> {
				// Nothing a client declares: it answers, or refuses, as it does anything.
			}
		}
		return missing;
	}

}
