package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * MCP over plain HTTP, one message at a time, for tests that must choose which pod gets
 * each request or look at the wire: initialize, POST a message in the session, open the
 * standalone GET stream (or a POST's answer) and collect its lines.
 */
public final class RawMcpClient {

	private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
			+ "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":%s,\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

	private final HttpClient http = HttpClient.newHttpClient();

	private String sessionId = "";

	/** Initializes a session through the pod on {@code port}, declaring no capability. */
	public String initialize(int port) {
		return initialize(port, "{}");
	}

	/**
	 * Initializes a session through the pod on {@code port}, declaring
	 * {@code capabilities} (a JSON object).
	 */
	public String initialize(int port, String capabilities) {
		HttpResponse<String> response = post(port, INITIALIZE.formatted(capabilities));
		if (response.statusCode() != 200) {
			throw new IllegalStateException("initialize answered " + response.statusCode() + ": " + response.body());
		}
		this.sessionId = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
		return this.sessionId;
	}

	/** POSTs one message in the session to the pod on {@code port}. */
	public HttpResponse<String> post(int port, String message) {
		HttpRequest.Builder request = HttpRequest.newBuilder(endpoint(port))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(message));
		if (!this.sessionId.isEmpty()) {
			request.header("Mcp-Session-Id", this.sessionId);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * POSTs one message in the session to the pod on {@code port} and reads its answer
	 * line by line as it arrives, for a test that must act before the answer ends.
	 */
	public OpenStream postOpen(int port, String message) {
		HttpRequest request = HttpRequest.newBuilder(endpoint(port))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("Mcp-Session-Id", this.sessionId)
			.POST(HttpRequest.BodyPublishers.ofString(message))
			.build();
		OpenStream stream = new OpenStream();
		this.http.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
			.thenAccept((response) -> stream.read(response.body()));
		return stream;
	}

	/** Opens the session's standalone stream on the pod on {@code port}. */
	public OpenStream openStream(int port) {
		HttpRequest request = HttpRequest.newBuilder(endpoint(port))
			.header("Accept", "text/event-stream")
			.header("Mcp-Session-Id", this.sessionId)
			.GET()
			.build();
		OpenStream stream = new OpenStream();
		this.http.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
			.thenAccept((response) -> stream.read(response.body()));
		return stream;
	}

	private static URI endpoint(int port) {
		return URI.create("http://127.0.0.1:" + port + "/mcp");
	}

	/**
	 * The lines a stream delivered so far, and whether the server ended it.
	 */
	public static final class OpenStream {

		private final List<String> lines = new CopyOnWriteArrayList<>();

		private final CompletableFuture<Void> ended = new CompletableFuture<>();

		void read(Stream<String> body) {
			CompletableFuture.runAsync(() -> {
				try (body) {
					body.forEach(this.lines::add);
				}
				catch (UncheckedIOException ex) {
					// the connection broke: the stream ended all the same
				}
				this.ended.complete(null);
			});
		}

		public List<String> lines() {
			return List.copyOf(this.lines);
		}

		public boolean hasEnded() {
			return this.ended.isDone();
		}

	}

}
