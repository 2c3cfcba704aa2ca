package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A raw 2026-07-28 client over real HTTP: each request carries the version, the client's
 * identity and capabilities in {@code _meta}, and the headers that mirror its body
 * ({@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name}: a tool's, prompt's
 * or task's name, a resource's URI), as the specification has a client send them; tests
 * change any of them to see a refusal.
 */
public final class StatelessClient {

	public static final String VERSION = "2026-07-28";

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private final java.util.concurrent.atomic.AtomicInteger openStreams = new java.util.concurrent.atomic.AtomicInteger();

	private final HttpClient http = HttpClient.newHttpClient();

	private final URI url;

	public StatelessClient(URI url) {
		this.url = url;
	}

	/** A request body with the usual {@code _meta}, its params given as JSON text. */
	public static ObjectNode request(Object id, String method, String params) {
		ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0");
		request.set("id", JSON.valueToTree(id));
		request.put("method", method);
		ObjectNode paramsNode = (ObjectNode) JSON.readTree(params);
		ObjectNode meta = paramsNode.has("_meta") ? (ObjectNode) paramsNode.get("_meta")
				: paramsNode.putObject("_meta");
		if (!meta.has("io.modelcontextprotocol/protocolVersion")) {
			meta.put("io.modelcontextprotocol/protocolVersion", VERSION);
		}
		if (!meta.has("io.modelcontextprotocol/clientCapabilities")) {
			meta.putObject("io.modelcontextprotocol/clientCapabilities");
		}
		meta.putObject("io.modelcontextprotocol/clientInfo").put("name", "raw-2026").put("version", "1");
		request.set("params", paramsNode);
		return request;
	}

	/** A notification with the usual {@code _meta}, its params given as JSON text. */
	public static ObjectNode notification(String method, String params) {
		ObjectNode notification = request(0, method, params);
		notification.remove("id");
		return notification;
	}

	/**
	 * Sends {@code request} and reads its event stream until the server ends it: the data
	 * of each event, in order.
	 */
	public List<String> streamLines(ObjectNode request) {
		return streamLines(request, new java.util.concurrent.CopyOnWriteArrayList<>());
	}

	/**
	 * Reads the event stream as {@link #streamLines(ObjectNode)} does, adding the data of
	 * each event to {@code seen} as it arrives, for a test that acts while it is open.
	 */
	public List<String> streamLines(ObjectNode request, List<String> seen) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(this.url)
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)));
		headersFor(request, Map.of()).forEach(builder::header);
		try {
			HttpResponse<java.util.stream.Stream<String>> response = this.http.send(builder.build(),
					HttpResponse.BodyHandlers.ofLines());
			this.openStreams.incrementAndGet();
			try (java.util.stream.Stream<String> lines = response.body()) {
				lines.filter((line) -> line.startsWith("data:"))
					.map((line) -> line.substring(5).strip())
					.forEach(seen::add);
				return List.copyOf(seen);
			}
			finally {
				this.openStreams.decrementAndGet();
			}
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
	 * Sends {@code request} and returns its event stream's lines as they arrive; closing
	 * them closes the connection, as a client that goes away does.
	 */
	public java.util.stream.Stream<String> openLines(ObjectNode request) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(this.url)
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)));
		headersFor(request, Map.of()).forEach(builder::header);
		try {
			return this.http.send(builder.build(), HttpResponse.BodyHandlers.ofLines()).body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** How many streams of {@link #streamLines} have their headers and are being read. */
	public int openStreams() {
		return this.openStreams.get();
	}

	/** Sends {@code request} with the headers made from it. */
	public HttpResponse<String> send(ObjectNode request) {
		return send(request, Map.of());
	}

	/**
	 * Sends {@code request} with the headers made from it, then {@code headers} on top
	 * (an empty value removes a header).
	 */
	public HttpResponse<String> send(ObjectNode request, Map<String, String> headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(this.url)
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)));
		headersFor(request, headers).forEach(builder::header);
		try {
			return this.http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The headers made from {@code request}, then {@code headers} (empty removes). */
	private static Map<String, String> headersFor(ObjectNode request, Map<String, String> headers) {
		Map<String, String> all = new java.util.LinkedHashMap<>();
		all.put("Content-Type", "application/json");
		all.put("Accept", "application/json, text/event-stream");
		all.put("MCP-Protocol-Version",
				request.path("params").path("_meta").path("io.modelcontextprotocol/protocolVersion").asString(VERSION));
		all.put("Mcp-Method", request.path("method").asString(""));
		JsonNode name = switch (request.path("method").asString("")) {
			case "tools/call", "prompts/get" -> request.path("params").get("name");
			case "resources/read" -> request.path("params").get("uri");
			case "tasks/get", "tasks/update", "tasks/cancel" -> request.path("params").get("taskId");
			default -> null;
		};
		if (name != null) {
			all.put("Mcp-Name", name.asString());
		}
		all.putAll(headers);
		all.values().removeIf(String::isEmpty);
		return all;
	}

	/**
	 * The names of every tool the server lists, page after page (a merged list gives each
	 * member's part a page of its own), sent with {@code headers}.
	 */
	public List<String> toolNames(Map<String, String> headers) {
		List<String> names = new ArrayList<>();
		String cursor = "";
		do {
			String params = cursor.isEmpty() ? "{}" : "{\"cursor\":\"" + cursor + "\"}";
			JsonNode result = message(send(request(1, "tools/list", params), headers)).path("result");
			result.path("tools").forEach((tool) -> names.add(tool.path("name").asString()));
			cursor = result.path("nextCursor").asString("");
		}
		while (!cursor.isEmpty());
		return names;
	}

	/** The JSON-RPC message a whole-JSON answer carries, or the last one of a stream. */
	public static JsonNode message(HttpResponse<String> response) {
		String body = response.body();
		if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
			String[] lines = body.split("\n");
			for (int i = lines.length - 1; i >= 0; i--) {
				if (lines[i].startsWith("data:")) {
					return JSON.readTree(lines[i].substring(5).strip());
				}
			}
			throw new IllegalStateException("No event in " + body);
		}
		return JSON.readTree(body);
	}

}
