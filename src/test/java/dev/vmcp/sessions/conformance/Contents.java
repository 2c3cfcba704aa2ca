package dev.vmcp.sessions.conformance;

import io.modelcontextprotocol.spec.McpSchema.AudioContent;
import io.modelcontextprotocol.spec.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;

/**
 * Shorthands for the MCP content the tools, prompts and resources return.
 */
final class Contents {

	private Contents() {
	}

	static TextContent text(String text) {
		return TextContent.builder(text).build();
	}

	static ImageContent pngImage() {
		return ImageContent.builder(SampleMedia.pngBase64(), SampleMedia.PNG_MIME_TYPE).build();
	}

	static AudioContent wavAudio() {
		return AudioContent.builder(SampleMedia.wavBase64(), SampleMedia.WAV_MIME_TYPE).build();
	}

	static TextResourceContents textResource(String uri, String mimeType, String text) {
		return TextResourceContents.builder(uri, text).mimeType(mimeType).build();
	}

	static BlobResourceContents pngResource(String uri) {
		return BlobResourceContents.builder(uri, SampleMedia.pngBase64()).mimeType(SampleMedia.PNG_MIME_TYPE).build();
	}

	static EmbeddedResource embeddedText(String uri, String mimeType, String text) {
		return EmbeddedResource.builder(textResource(uri, mimeType, text)).build();
	}

}
