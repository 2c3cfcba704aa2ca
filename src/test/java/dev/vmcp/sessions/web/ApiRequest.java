package dev.vmcp.sessions.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A request to send through {@link DocumentedApi}: everything that goes on the wire, so
 * that the document can be asked about exactly that.
 *
 * @param method the HTTP method
 * @param path the path
 * @param body the body, or {@code null} for none
 * @param headers every header sent
 */
record ApiRequest(String method, String path, @Nullable String body, Map<String, String> headers) {

	static ApiRequest get(String path) {
		return new ApiRequest("GET", path, null, Map.of());
	}

	/** A POST without a body (and so without a Content-Type). */
	static ApiRequest post(String path) {
		return new ApiRequest("POST", path, null, Map.of());
	}

	static ApiRequest patch(String path, String mergePatch) {
		return new ApiRequest("PATCH", path, null, Map.of()).body("application/merge-patch+json", mergePatch);
	}

	static ApiRequest delete(String path) {
		return new ApiRequest("DELETE", path, null, Map.of());
	}

	ApiRequest json(String json) {
		return body("application/json", json);
	}

	ApiRequest body(String contentType, String content) {
		return new ApiRequest(this.method, this.path, content, with("Content-Type", contentType));
	}

	ApiRequest header(String name, String value) {
		return new ApiRequest(this.method, this.path, this.body, with(name, value));
	}

	private Map<String, String> with(String name, String value) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return Map.copyOf(headers);
	}

	@Override
	public String toString() {
		return this.method + " " + this.path + " " + this.headers.keySet()
				+ ((this.body != null) ? " " + abbreviated(this.body) : "");
	}

	private static String abbreviated(String text) {
		return (text.length() <= 80) ? text : text.substring(0, 80) + "… (" + text.length() + " characters)";
	}

}
