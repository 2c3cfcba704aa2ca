package dev.vmcp.sessions.conformance;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;

/**
 * Shorthands for declaring the conformance tools: every tool has a description and an
 * object input schema, as {@code tools-list} requires of each one.
 */
final class ToolSpecifications {

	private ToolSpecifications() {
	}

	/**
	 * A tool without arguments.
	 * @param name the tool name
	 * @param description what it does
	 * @param handler computes the result
	 * @return the specification
	 */
	static SyncToolSpecification withoutArguments(String name, String description,
			BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
		return specification(name, description, Map.of("type", "object", "properties", Map.of()), handler);
	}

	/**
	 * A tool with one required string argument.
	 * @param name the tool name
	 * @param description what it does
	 * @param argument the argument name
	 * @param argumentDescription what the argument means
	 * @param handler computes the result
	 * @return the specification
	 */
	static SyncToolSpecification withStringArgument(String name, String description, String argument,
			String argumentDescription, BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
		Map<String, Object> schema = Map.of("type", "object", "properties",
				Map.of(argument, Map.of("type", "string", "description", argumentDescription)), "required",
				List.of(argument));
		return specification(name, description, schema, handler);
	}

	/**
	 * The value of a string argument of a call.
	 * @param request the call
	 * @param argument the argument name
	 * @return the value, empty when absent
	 */
	static String stringArgument(CallToolRequest request, String argument) {
		Map<String, Object> arguments = request.arguments();
		Object value = (arguments != null) ? arguments.get(argument) : null;
		return (value != null) ? value.toString() : "";
	}

	private static SyncToolSpecification specification(String name, String description, Map<String, Object> inputSchema,
			BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
		Tool tool = Tool.builder(name, inputSchema).description(description).build();
		return SyncToolSpecification.builder().tool(tool).callHandler(handler).build();
	}

}
