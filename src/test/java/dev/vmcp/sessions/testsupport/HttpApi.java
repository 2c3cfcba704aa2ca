package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for one pod's API, so that tests cross a real socket.
 */
public final class HttpApi {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final URI base;

	private final Map<String, String> defaultHeaders = new LinkedHashMap<>();

	HttpApi(int port) {
		this.base = URI.create("http://127.0.0.1:" + port);
	}

	private HttpApi(URI base, Map<String, String> headers) {
		this.base = base;
		this.defaultHeaders.putAll(headers);
	}

	/** This client, sending {@code Authorization: Bearer <token>} on every request. */
	public HttpApi withBearer(String token) {
		Map<String, String> headers = new LinkedHashMap<>(this.defaultHeaders);
		headers.put("Authorization", "Bearer " + token);
		return new HttpApi(this.base, headers);
	}

	public Response get(String path) {
		return send("GET", path, null, Map.of());
	}

	public Response delete(String path) {
		return send("DELETE", path, null, Map.of());
	}

	public Response post(String path, String jsonBody) {
		return send("POST", path, jsonBody, Map.of("Content-Type", "application/json"));
	}

	public Response postEmpty(String path) {
		return send("POST", path, null, Map.of());
	}

	public Response patch(String path, String body, Map<String, String> headers) {
		Map<String, String> all = new LinkedHashMap<>(Map.of("Content-Type", "application/merge-patch+json"));
		all.putAll(headers);
		return send("PATCH", path, body, all);
	}

	public Response send(String method, String path, String body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.base.resolve(path))
			.timeout(Duration.ofSeconds(30))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		this.defaultHeaders.forEach(request::header);
		headers.forEach(request::header);
		try {
			HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A response with its body parsed as JSON where there is one. */
	public record Response(int status, Map<String, List<String>> headers, String body) {

		public JsonNode json() {
			return JSON.readTree(this.body);
		}

		public Optional<String> header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
				.flatMap((entry) -> entry.getValue().stream())
				.findFirst();
		}

		public String contentType() {
			return header("Content-Type").orElse("");
		}

		/** The id of a created session. */
		public String sessionId() {
			return json().get("id").asString();
		}

	}

}
