package dev.vmcp.sessions.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.SamplingMessage;
import io.modelcontextprotocol.spec.McpSchema.TextContent;

import static dev.vmcp.sessions.conformance.ToolSpecifications.stringArgument;
import static dev.vmcp.sessions.conformance.ToolSpecifications.withStringArgument;
import static dev.vmcp.sessions.conformance.ToolSpecifications.withoutArguments;

/**
 * The tools that talk back to the client while they run: log messages, progress
 * notifications, and sampling and elicitation requests whose answers go into the result.
 * Each message goes through the call's own exchange, so over Streamable HTTP it travels
 * on the SSE stream of the POST that carries the call.
 */
final class ClientInteractionTools {

	private static final String LOGGER_NAME = "conformance-backend";

	private static final List<String> LOG_MESSAGES = List.of("Tool execution started", "Tool processing data",
			"Tool execution completed");

	private static final double PROGRESS_TOTAL = 100;

	private static final String PROGRESS_TOKEN_KEY = "progressToken";

	private static final int SAMPLING_MAX_TOKENS = 100;

	private ClientInteractionTools() {
	}

	/**
	 * How long {@code test_reconnection} works after its first message: long enough for a
	 * server that polls its streams to close the call's connection first.
	 */
	private static final Duration RECONNECTION_WORK = Duration.ofMillis(1500);

	static List<SyncToolSpecification> all() {
		return List.of(withLogging(), withProgress(), sampling(), elicitation(), elicitationWithDefaults(),
				elicitationWithEnums(), reconnection());
	}

	private static SyncToolSpecification withLogging() {
		return withoutArguments("test_tool_with_logging", "Sends three info log messages while it runs",
				(exchange, request) -> {
					LOG_MESSAGES.forEach((message) -> exchange
						.loggingNotification(LoggingMessageNotification.builder(LoggingLevel.INFO, message)
							.logger(LOGGER_NAME)
							.build()));
					return text("Sent " + LOG_MESSAGES.size() + " log messages");
				});
	}

	private static SyncToolSpecification withProgress() {
		return withoutArguments("test_tool_with_progress",
				"Reports progress 0, 50 and 100 of 100 when the call has a progress token", (exchange, request) -> {
					Object token = (request.meta() != null) ? request.meta().get(PROGRESS_TOKEN_KEY) : null;
					if (token != null) {
						for (double progress : List.of(0.0, PROGRESS_TOTAL / 2, PROGRESS_TOTAL)) {
							exchange.progressNotification(
									ProgressNotification.builder(token, progress).total(PROGRESS_TOTAL).build());
						}
					}
					return text("Progress reported: " + (token != null));
				});
	}

	/**
	 * The tool of scenario {@code server-sse-polling} (SEP-1699): a call that takes a
	 * while after a first message on its stream, during which a server may close the
	 * stream's connection for the client to resume it. This server cannot close its own
	 * (the SDK does not), a gateway in front of it may.
	 */
	private static SyncToolSpecification reconnection() {
		return withoutArguments("test_reconnection", "Works a while after a first log message on its stream",
				(exchange, request) -> {
					exchange.loggingNotification(LoggingMessageNotification.builder(LoggingLevel.INFO, "Working")
						.logger(LOGGER_NAME)
						.build());
					try {
						Thread.sleep(RECONNECTION_WORK);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return text("Reconnection test completed successfully");
				});
	}

	private static SyncToolSpecification sampling() {
		return withStringArgument("test_sampling", "Asks the client to sample a model's answer to a prompt", "prompt",
				"The prompt to answer", (exchange, request) -> {
					CreateMessageRequest sampling = CreateMessageRequest.builder(
							List.of(new SamplingMessage(Role.USER, Contents.text(stringArgument(request, "prompt")))),
							SAMPLING_MAX_TOKENS)
						.build();
					CreateMessageResult answer = exchange.createMessage(sampling);
					String answerText = (answer.content() instanceof TextContent content) ? content.text()
							: String.valueOf(answer.content());
					return text("Sampled response: " + answerText);
				});
	}

	private static SyncToolSpecification elicitation() {
		return withStringArgument("test_elicitation", "Asks the user for a user name and an e-mail address", "message",
				"The message to show the user", (exchange, request) -> elicit(exchange,
						stringArgument(request, "message"), ElicitationSchemas.contactDetails(), "User response: "));
	}

	private static SyncToolSpecification elicitationWithDefaults() {
		return withoutArguments("test_elicitation_sep1034_defaults",
				"Asks the user for values of each primitive type, each with a default",
				(exchange, request) -> elicit(exchange, "Please review and update the form fields with defaults",
						ElicitationSchemas.primitivesWithDefaults(), "Elicitation completed: "));
	}

	private static SyncToolSpecification elicitationWithEnums() {
		return withoutArguments("test_elicitation_sep1330_enums", "Asks the user to choose in each kind of enum",
				(exchange, request) -> elicit(exchange, "Please select options from the enum fields",
						ElicitationSchemas.enumVariants(), "Elicitation completed: "));
	}

	private static CallToolResult elicit(McpSyncServerExchange exchange, String message,
			Map<String, Object> requestedSchema, String resultPrefix) {
		ElicitResult answer = exchange.createElicitation(ElicitFormRequest.builder(message, requestedSchema).build());
		return text(resultPrefix + "action=" + answer.action().name().toLowerCase(Locale.ROOT) + ", content="
				+ answer.content());
	}

	private static CallToolResult text(String text) {
		return CallToolResult.builder().addTextContent(text).build();
	}

}
