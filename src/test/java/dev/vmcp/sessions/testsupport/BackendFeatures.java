package dev.vmcp.sessions.testsupport;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.SamplingMessage;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;

/**
 * What a test backend offers besides {@code echo}, so that a gateway in front of two of
 * them has names that conflict ({@code whoami}, {@code work}, {@code ask},
 * {@code confirm}, {@code roots}, prompt {@code greet}) and names that do not
 * ({@code only-<backend>}, resource {@code <backend>://info}). Each answer names the
 * backend, so a test sees where a call was routed.
 */
final class BackendFeatures {

	private BackendFeatures() {
	}

	static List<SyncToolSpecification> tools(String backend) {
		return List.of(tool("whoami", "Names this backend", (exchange, request) -> text(backend)),
				tool("only-" + backend, "Exists on this backend only", (exchange, request) -> text(backend)),
				tool("work", "Reports progress and a log message, then answers",
						(exchange, request) -> work(backend, exchange, request)),
				tool("ask", "Asks the client's model (sampling)", (exchange, request) -> ask(exchange)),
				tool("confirm", "Asks the user (elicitation)", (exchange, request) -> confirm(exchange)),
				tool("roots", "Asks for the client's roots", (exchange, request) -> roots(exchange)));
	}

	/** A tool named {@code name} whose answer is the backend's name. */
	static SyncToolSpecification namedTool(String backend, String name) {
		return tool(name, "Added at run time", (exchange, request) -> text(backend));
	}

	/**
	 * A tool {@code chatter} that sends one log message at each of debug, info, warning
	 * and error ("debug from alpha"), as the session's {@code logging/setLevel} lets it,
	 * then answers.
	 */
	static SyncToolSpecification chatterTool(String backend) {
		return tool("chatter", "Logs at several levels, then answers", (exchange, request) -> {
			for (LoggingLevel level : List.of(LoggingLevel.DEBUG, LoggingLevel.INFO, LoggingLevel.WARNING,
					LoggingLevel.ERROR)) {
				exchange.loggingNotification(LoggingMessageNotification.builder()
					.level(level)
					.data(level.name().toLowerCase(java.util.Locale.ROOT) + " from " + backend)
					.build());
			}
			return text("chatted on " + backend);
		});
	}

	static List<SyncPromptSpecification> prompts(String backend) {
		Prompt greet = new Prompt("greet", "Greets someone", List.of(new PromptArgument("name", "Who", true)));
		return List.of(new SyncPromptSpecification(greet,
				(exchange, request) -> new GetPromptResult("greeting", List.of(new PromptMessage(Role.USER,
						new TextContent("Hello " + request.arguments().get("name") + " from " + backend))))));
	}

	static List<SyncResourceSpecification> resources(String backend) {
		String uri = backend + "://info";
		Resource info = Resource.builder().uri(uri).name(backend + "-info").mimeType("text/plain").build();
		return List.of(new SyncResourceSpecification(info, (exchange, request) -> new ReadResourceResult(
				List.of(new TextResourceContents(uri, "text/plain", "info of " + backend)))));
	}

	private static SyncToolSpecification tool(String name, String description,
			java.util.function.BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
		Tool tool = Tool.builder(name, Map.of("type", "object")).description(description).build();
		return SyncToolSpecification.builder().tool(tool).callHandler(handler).build();
	}

	private static CallToolResult work(String backend, McpSyncServerExchange exchange, CallToolRequest request) {
		Object token = (request.meta() != null) ? request.meta().get("progressToken") : null;
		if (token != null) {
			exchange.progressNotification(new ProgressNotification(token, 1, 2.0, "half"));
		}
		exchange.loggingNotification(
				LoggingMessageNotification.builder().level(LoggingLevel.INFO).data("working on " + backend).build());
		if (token != null) {
			exchange.progressNotification(new ProgressNotification(token, 2, 2.0, "done"));
		}
		return text("worked on " + backend);
	}

	private static CallToolResult ask(McpSyncServerExchange exchange) {
		CreateMessageResult answer = exchange.createMessage(CreateMessageRequest.builder()
			.messages(List.of(new SamplingMessage(Role.USER, new TextContent("What is 2+2?"))))
			.maxTokens(10)
			.build());
		return text("model said " + ((TextContent) answer.content()).text());
	}

	private static CallToolResult confirm(McpSyncServerExchange exchange) {
		ElicitResult answer = exchange.createElicitation(ElicitRequest
			.builder("Proceed?", Map.of("type", "object", "properties", Map.of("ok", Map.of("type", "boolean"))))
			.build());
		return text("user said " + answer.action() + " " + answer.content());
	}

	private static CallToolResult roots(McpSyncServerExchange exchange) {
		return text("roots: " + String.join(", ",
				exchange.listRoots().roots().stream().map(io.modelcontextprotocol.spec.McpSchema.Root::uri).toList()));
	}

	private static CallToolResult text(String text) {
		return CallToolResult.builder().addTextContent(text).build();
	}

}
