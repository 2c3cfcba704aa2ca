package dev.vmcp.sessions.conformance;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult.CompleteCompletion;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.Role;

/**
 * The prompts of the {@code prompts-*} scenarios, and completion of the arguments of the
 * one that takes arguments ({@code completion-complete}).
 */
final class ConformancePrompts {

	private static final String PROMPT_WITH_ARGUMENTS = "test_prompt_with_arguments";

	/** What completion offers for any argument, filtered by the prefix typed so far. */
	private static final List<String> COMPLETION_CANDIDATES = List.of("hello", "help", "test", "testing", "world");

	private ConformancePrompts() {
	}

	static List<SyncPromptSpecification> prompts() {
		return List.of(simple(), withArguments(), withEmbeddedResource(), withImage());
	}

	static List<SyncCompletionSpecification> completions() {
		return List.of(new SyncCompletionSpecification(new PromptReference(PROMPT_WITH_ARGUMENTS),
				(exchange, request) -> complete(request.argument().value())));
	}

	private static SyncPromptSpecification simple() {
		return prompt(definition("test_simple_prompt", "A prompt without arguments"),
				(request) -> List.of(user(Contents.text("This is a simple prompt for testing."))));
	}

	private static SyncPromptSpecification withArguments() {
		List<PromptArgument> arguments = List.of(required("arg1", "First test argument"),
				required("arg2", "Second test argument"));
		return prompt(definition(PROMPT_WITH_ARGUMENTS, "A prompt that repeats its two arguments", arguments),
				(request) -> List.of(user(Contents.text("Prompt with arguments: arg1='" + argument(request, "arg1")
						+ "', arg2='" + argument(request, "arg2") + "'"))));
	}

	private static SyncPromptSpecification withEmbeddedResource() {
		return prompt(
				definition("test_prompt_with_embedded_resource", "A prompt that embeds the resource it is given",
						List.of(required("resourceUri", "URI of the resource to embed"))),
				(request) -> List.of(
						user(Contents.embeddedText(argument(request, "resourceUri"), "text/plain",
								"Embedded resource content for testing.")),
						user(Contents.text("Please process the embedded resource above."))));
	}

	private static SyncPromptSpecification withImage() {
		return prompt(definition("test_prompt_with_image", "A prompt that shows an image"), (request) -> List
			.of(user(Contents.pngImage()), user(Contents.text("Please analyze the image above."))));
	}

	private static CompleteResult complete(String prefix) {
		List<String> values = COMPLETION_CANDIDATES.stream()
			.filter((candidate) -> candidate.startsWith(prefix))
			.toList();
		return new CompleteResult(new CompleteCompletion(values, values.size(), false));
	}

	private static SyncPromptSpecification prompt(Prompt prompt,
			Function<GetPromptRequest, List<PromptMessage>> messages) {
		return new SyncPromptSpecification(prompt, (exchange,
				request) -> GetPromptResult.builder(messages.apply(request)).description(prompt.description()).build());
	}

	private static Prompt definition(String name, String description) {
		return definition(name, description, List.of());
	}

	private static Prompt definition(String name, String description, List<PromptArgument> arguments) {
		return Prompt.builder(name).description(description).arguments(arguments).build();
	}

	private static PromptArgument required(String name, String description) {
		return PromptArgument.builder(name).description(description).required(true).build();
	}

	private static PromptMessage user(Content content) {
		return PromptMessage.builder(Role.USER, content).build();
	}

	private static String argument(GetPromptRequest request, String name) {
		Map<String, Object> arguments = request.arguments();
		Object value = (arguments != null) ? arguments.get(name) : null;
		return (value != null) ? value.toString() : "";
	}

}
