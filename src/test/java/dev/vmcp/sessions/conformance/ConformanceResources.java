package dev.vmcp.sessions.conformance;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;

/**
 * The resources of the {@code resources-*} scenarios: a text and a binary one, one to
 * subscribe to, and a template whose {@code {id}} shows up in what is read. Subscriptions
 * themselves are kept by the SDK once the capability is declared.
 */
final class ConformanceResources {

	private static final String STATIC_TEXT_URI = "test://static-text";

	private static final String STATIC_TEXT = "This is the content of the static text resource.";

	private static final String STATIC_BINARY_URI = "test://static-binary";

	private static final String WATCHED_URI = "test://watched-resource";

	private static final String TEMPLATE = "test://template/{id}/data";

	private static final Pattern TEMPLATE_URI = Pattern.compile("test://template/([^/]+)/data");

	private ConformanceResources() {
	}

	static List<SyncResourceSpecification> resources() {
		return List.of(
				fixed(resource(STATIC_TEXT_URI, "static-text", "A fixed text", "text/plain"),
						Contents.textResource(STATIC_TEXT_URI, "text/plain", STATIC_TEXT)),
				fixed(resource(STATIC_BINARY_URI, "static-binary", "A one-pixel PNG image", SampleMedia.PNG_MIME_TYPE),
						Contents.pngResource(STATIC_BINARY_URI)),
				fixed(resource(WATCHED_URI, "watched-resource", "A text that clients may subscribe to", "text/plain"),
						Contents.textResource(WATCHED_URI, "text/plain", "Watched resource content")));
	}

	static List<SyncResourceTemplateSpecification> templates() {
		ResourceTemplate template = ResourceTemplate.builder(TEMPLATE, "template-data")
			.description("Data for the id in the URI")
			.mimeType("application/json")
			.build();
		return List.of(new SyncResourceTemplateSpecification(template,
				(exchange, request) -> ReadResourceResult.builder(List.of(templateData(request.uri()))).build()));
	}

	private static TextResourceContents templateData(String uri) {
		Matcher matcher = TEMPLATE_URI.matcher(uri);
		if (!matcher.matches()) {
			throw McpError.RESOURCE_NOT_FOUND.apply(uri);
		}
		String id = matcher.group(1);
		String json = "{\"id\":\"" + id + "\",\"templateTest\":true,\"data\":\"Data for ID: " + id + "\"}";
		return Contents.textResource(uri, "application/json", json);
	}

	private static Resource resource(String uri, String name, String description, String mimeType) {
		return Resource.builder(uri, name).description(description).mimeType(mimeType).build();
	}

	private static SyncResourceSpecification fixed(Resource resource, ResourceContents contents) {
		return new SyncResourceSpecification(resource,
				(exchange, request) -> ReadResourceResult.builder(List.of(contents)).build());
	}

}
