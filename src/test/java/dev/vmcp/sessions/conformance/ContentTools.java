package dev.vmcp.sessions.conformance;

import java.util.List;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

import static dev.vmcp.sessions.conformance.ToolSpecifications.withoutArguments;

/**
 * The tools whose result is fixed content of each kind MCP knows (scenarios
 * {@code tools-call-simple-text}, {@code -image}, {@code -audio},
 * {@code -embedded-resource}, {@code -mixed-content} and {@code -error}).
 */
final class ContentTools {

	private static final String SIMPLE_TEXT = "This is a simple text response for testing.";

	private static final String EMBEDDED_RESOURCE_URI = "test://embedded-resource";

	private static final String ERROR_TEXT = "This tool intentionally returns an error for testing";

	private static final String MIXED_RESOURCE_URI = "test://mixed-content-resource";

	private ContentTools() {
	}

	static List<SyncToolSpecification> all() {
		return List.of(simpleText(), image(), audio(), embeddedResource(), multipleContentTypes(), errorHandling());
	}

	private static SyncToolSpecification simpleText() {
		return withoutArguments("test_simple_text", "Returns a fixed text",
				(exchange, request) -> CallToolResult.builder().addTextContent(SIMPLE_TEXT).build());
	}

	private static SyncToolSpecification image() {
		return withoutArguments("test_image_content", "Returns a one-pixel PNG image",
				(exchange, request) -> CallToolResult.builder().addContent(Contents.pngImage()).build());
	}

	private static SyncToolSpecification audio() {
		return withoutArguments("test_audio_content", "Returns a short silent WAV clip",
				(exchange, request) -> CallToolResult.builder().addContent(Contents.wavAudio()).build());
	}

	private static SyncToolSpecification embeddedResource() {
		return withoutArguments("test_embedded_resource", "Returns a text resource embedded in the result",
				(exchange, request) -> CallToolResult.builder()
					.addContent(Contents.embeddedText(EMBEDDED_RESOURCE_URI, "text/plain",
							"This is an embedded resource content."))
					.build());
	}

	private static SyncToolSpecification multipleContentTypes() {
		return withoutArguments("test_multiple_content_types", "Returns text, an image and a resource at once",
				(exchange, request) -> CallToolResult.builder()
					.addTextContent("Multiple content types test:")
					.addContent(Contents.pngImage())
					.addContent(Contents.embeddedText(MIXED_RESOURCE_URI, "application/json",
							"{\"test\":\"data\",\"value\":123}"))
					.build());
	}

	private static SyncToolSpecification errorHandling() {
		return withoutArguments("test_error_handling", "Always fails, as a tool error rather than a protocol error",
				(exchange, request) -> CallToolResult.builder().isError(true).addTextContent(ERROR_TEXT).build());
	}

}
