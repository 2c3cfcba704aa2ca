package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A member MCP server that speaks only 2026-07-28, on {@code 127.0.0.1}: no session, no
 * {@code initialize} (refused as the specification says, naming the version it speaks),
 * the version and client capabilities in every request's {@code _meta}, the headers that
 * mirror the body checked. It has tools {@code echo}, {@code add}, {@code progress}
 * (sends progress notifications first when asked) and {@code log} (sends a log message
 * only when the request carries a log level), a prompt and a resource. It keeps every
 * request it received, headers included, for tests to check what the gateway sent. With a
 * {@link BearerCheck}, it takes only requests with a token meant for it (401 otherwise)
 * and has a tool {@code subject} that answers with the token's subject.
 */
public final class StatelessMcpServer implements AutoCloseable {

	public static final String VERSION = "2026-07-28";

	/**
	 * The state {@code confirm} hands out and expects back, as a member's own would be.
	 */
	public static final String CONFIRM_STATE = "member-state-7";

	/** The id of the task {@code slow_task} starts, as the member names it. */
	public static final String TASK_ID = "member-task-1";

	/**
	 * The id of the task {@code slow_task} starts when asked to ask, as the member names
	 * it.
	 */
	public static final String ASKING_TASK_ID = "member-task-2";

	private static final String TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The name the asking task was given, once {@code tasks/update} brought it. */
	private volatile @Nullable String askingTaskName;

	private final String name;

	private final HttpServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final long listTtlMs;

	private final @Nullable BearerCheck bearer;

	private StatelessMcpServer(String name, long listTtlMs, @Nullable BearerCheck bearer, int port) throws IOException {
		this.name = name;
		this.listTtlMs = listTtlMs;
		this.bearer = bearer;
		this.server = HttpServer.create(new InetSocketAddress(LoopbackTomcat.LOOPBACK_ADDRESS, port), 0);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/mcp", this::handle);
		this.server.start();
	}

	/** Starts a member whose lists say they stay fresh for a minute. */
	public static StatelessMcpServer start(String name) {
		return start(name, 60_000);
	}

	public static StatelessMcpServer start(String name, long listTtlMs) {
		return start(name, listTtlMs, null);
	}

	/**
	 * Starts a member that takes only requests with a token that {@code bearer} passes.
	 */
	public static StatelessMcpServer start(String name, BearerCheck bearer) {
		return start(name, 60_000, bearer);
	}

	/**
	 * Starts a member on the given loopback port, as a member redeployed at the URL
	 * another server had; its lists say they stay fresh for a minute.
	 */
	public static StatelessMcpServer startAt(String name, int port) {
		return start(name, 60_000, null, port);
	}

	private static StatelessMcpServer start(String name, long listTtlMs, @Nullable BearerCheck bearer) {
		return start(name, listTtlMs, bearer, 0);
	}

	private static StatelessMcpServer start(String name, long listTtlMs, @Nullable BearerCheck bearer, int port) {
		try {
			return new StatelessMcpServer(name, listTtlMs, bearer, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public String name() {
		return this.name;
	}

	public String url() {
		return "http://" + LoopbackTomcat.LOOPBACK_ADDRESS + ":" + this.server.getAddress().getPort() + "/mcp";
	}

	/** Every request received so far, oldest first. */
	public List<Received> received() {
		return List.copyOf(this.received);
	}

	/** The requests received with that JSON-RPC method. */
	public List<Received> received(String method) {
		return this.received.stream().filter((request) -> request.method().equals(method)).toList();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!exchange.getRequestMethod().equals("POST")) {
				exchange.sendResponseHeaders(405, -1);
				return;
			}
			JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
			String method = request.path("method").asString("");
			this.received.add(new Received(method, request,
					exchange.getRequestHeaders()
						.entrySet()
						.stream()
						.collect(java.util.stream.Collectors.toMap((entry) -> entry.getKey().toLowerCase(),
								(entry) -> entry.getValue().get(0), (first, second) -> first))));
			if (!authorized(exchange)) {
				return;
			}
			if (!request.has("id")) {
				exchange.sendResponseHeaders(202, -1);
				return;
			}
			answer(exchange, request, method);
		}
	}

	/**
	 * Without a bearer check, every request; with one, those it passes (401 otherwise).
	 */
	private boolean authorized(HttpExchange exchange) throws IOException {
		if (this.bearer == null) {
			return true;
		}
		Optional<Jwt> token = this.bearer.verify(exchange.getRequestHeaders().getFirst("Authorization"));
		if (token.isEmpty()) {
			exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
			exchange.sendResponseHeaders(401, -1);
			return false;
		}
		exchange.setAttribute(BearerCheck.SUBJECT, token.get().getSubject());
		return true;
	}

	private void answer(HttpExchange exchange, JsonNode request, String method) throws IOException {
		JsonNode id = request.get("id");
		JsonNode meta = request.path("params").path("_meta");
		String version = meta.path("io.modelcontextprotocol/protocolVersion").asString("");
		if (!version.equals(VERSION) || method.equals("initialize")) {
			ObjectNode data = JSON.createObjectNode();
			data.putArray("supported").add(VERSION);
			data.put("requested",
					version.isEmpty() ? request.path("params").path("protocolVersion").asString("") : version);
			sendError(exchange, 400, id, -32022, "Unsupported protocol version; this server speaks " + VERSION, data);
			return;
		}
		if (!VERSION.equals(exchange.getRequestHeaders().getFirst("MCP-Protocol-Version"))
				|| !method.equals(exchange.getRequestHeaders().getFirst("Mcp-Method"))) {
			sendError(exchange, 400, id, -32020, "Header mismatch", null);
			return;
		}
		if (!meta.path("io.modelcontextprotocol/clientCapabilities").isObject()) {
			sendError(exchange, 400, id, -32602, "clientCapabilities is required in _meta", null);
			return;
		}
		ObjectNode params = (request.get("params") instanceof ObjectNode object) ? object : JSON.createObjectNode();
		switch (method) {
			case "server/discover" -> sendResult(exchange, id, discover());
			case "tools/list" -> sendResult(exchange, id, list("tools", tools()));
			case "prompts/list" -> sendResult(exchange, id, list("prompts", prompts()));
			case "resources/list" -> sendResult(exchange, id, list("resources", resources()));
			case "resources/templates/list" ->
				sendResult(exchange, id, list("resourceTemplates", JSON.createArrayNode()));
			case "tools/call" -> callTool(exchange, id, params);
			case "prompts/get" -> sendResult(exchange, id, prompt(params));
			case "resources/read" -> sendResult(exchange, id, read(params));
			case "tasks/get" -> taskStatus(exchange, id, params);
			case "tasks/update" -> updateTask(exchange, id, params);
			case "tasks/cancel" -> sendResult(exchange, id, complete());
			case "subscriptions/listen" -> listenToTasks(exchange, id, params);
			default -> sendError(exchange, 404, id, -32601, "Method not found: " + method, null);
		}
	}

	private void callTool(HttpExchange exchange, JsonNode id, ObjectNode params) throws IOException {
		String nameHeader = exchange.getRequestHeaders().getFirst("Mcp-Name");
		String tool = params.path("name").asString("");
		if (!tool.equals(nameHeader)) {
			sendError(exchange, 400, id, -32020, "Header mismatch: Mcp-Name " + nameHeader + " is not " + tool, null);
			return;
		}
		JsonNode arguments = params.path("arguments");
		switch (tool) {
			case "echo" -> sendResult(exchange, id, text(this.name + ": " + arguments.path("text").asString("")));
			case "add" -> sendResult(exchange, id,
					text(String.valueOf(arguments.path("a").asLong() + arguments.path("b").asLong())));
			case "progress" -> streamProgress(exchange, id, params);
			case "log" -> streamLog(exchange, id, params);
			case "needs_sampling" -> needsSampling(exchange, id, params);
			case "confirm" -> confirm(exchange, id, params);
			case "slow_task" -> {
				// {"ask": true} starts the task that asks for the client's name.
				boolean asking = arguments.path("ask").asBoolean(false);
				if (asking) {
					this.askingTaskName = null;
				}
				startTask(exchange, id, params, asking ? ASKING_TASK_ID : TASK_ID);
			}
			case "subject" -> sendResult(exchange, id, text("sub=" + exchange.getAttribute(BearerCheck.SUBJECT)));
			default -> sendResult(exchange, id, toolError("Unknown tool: " + tool));
		}
	}

	/** Two progress notifications, when the request asked for them, then the result. */
	private void streamProgress(HttpExchange exchange, JsonNode id, ObjectNode params) throws IOException {
		JsonNode token = params.path("_meta").get("progressToken");
		startStream(exchange);
		if (token != null) {
			for (int step = 1; step <= 2; step++) {
				ObjectNode progress = notification("notifications/progress");
				ObjectNode progressParams = progress.putObject("params");
				progressParams.set("progressToken", token);
				progressParams.put("progress", step);
				progressParams.put("total", 2);
				event(exchange, progress);
			}
		}
		event(exchange, response(id, text("done")));
	}

	/**
	 * A Multi Round-Trip Request: asks the client to confirm, with a state of its own,
	 * then completes once the retry brings the answer and that same state back.
	 */
	private void confirm(HttpExchange exchange, JsonNode id, ObjectNode params) throws IOException {
		JsonNode answer = params.path("inputResponses").path("confirmation");
		if (!answer.isMissingNode() && CONFIRM_STATE.equals(params.path("requestState").asString(""))) {
			sendResult(exchange, id, text("confirmed: " + answer.path("content").path("ok").asString("")));
			return;
		}
		ObjectNode result = JSON.createObjectNode().put("resultType", "input_required");
		ObjectNode elicit = result.putObject("inputRequests").putObject("confirmation");
		elicit.put("method", "elicitation/create");
		ObjectNode elicitParams = elicit.putObject("params");
		elicitParams.put("message", "Proceed?");
		elicitParams.putObject("requestedSchema").put("type", "object");
		result.put("requestState", CONFIRM_STATE);
		sendResult(exchange, id, result);
	}

	/**
	 * Answers with a task handle (extension {@code io.modelcontextprotocol/tasks}) when
	 * the client declared the extension, as the extension says; refuses otherwise.
	 */
	private void startTask(HttpExchange exchange, JsonNode id, ObjectNode params, String taskId) throws IOException {
		JsonNode extensions = params.path("_meta")
			.path("io.modelcontextprotocol/clientCapabilities")
			.path("extensions");
		if (!extensions.has(TASKS_EXTENSION)) {
			ObjectNode data = JSON.createObjectNode();
			data.putObject("requiredCapabilities").putObject("extensions").putObject(TASKS_EXTENSION);
			sendError(exchange, 400, id, -32021, "The tasks extension is required", data);
			return;
		}
		ObjectNode task = JSON.createObjectNode().put("resultType", "task");
		task.put("taskId", taskId).put("status", "working").put("createdAt", "2026-12-02T00:00:00Z");
		sendResult(exchange, id, task);
	}

	/**
	 * The slow task has completed; the asking one waits for the client's name
	 * ({@code input_required}, one elicitation keyed {@code name}) until
	 * {@code tasks/update} brings it, then completes with a greeting; any other id is
	 * unknown.
	 */
	private void taskStatus(HttpExchange exchange, JsonNode id, ObjectNode params) throws IOException {
		if (ASKING_TASK_ID.equals(params.path("taskId").asString(""))) {
			ObjectNode status = complete().put("taskId", ASKING_TASK_ID).put("pollIntervalMs", 50);
			String name = this.askingTaskName;
			if (name == null) {
				ObjectNode question = status.put("status", "input_required")
					.putObject("inputRequests")
					.putObject("name");
				question.put("method", "elicitation/create");
				ObjectNode questionParams = question.putObject("params")
					.put("mode", "form")
					.put("message", "Your name?");
				questionParams.putObject("requestedSchema")
					.put("type", "object")
					.putObject("properties")
					.putObject("name")
					.put("type", "string");
			}
			else {
				status.put("status", "completed").set("result", text("hello " + name));
			}
			sendResult(exchange, id, status);
			return;
		}
		if (!TASK_ID.equals(params.path("taskId").asString(""))) {
			sendError(exchange, 200, id, -32602, "Unknown task", null);
			return;
		}
		ObjectNode status = complete().put("taskId", TASK_ID).put("status", "completed");
		status.set("result", text("task done by " + this.name));
		sendResult(exchange, id, status);
	}

	/**
	 * A {@code subscriptions/listen} for task notifications only: acknowledges the task
	 * ids it knows of those asked for, sends the task's completed status
	 * ({@code notifications/tasks}) when it was asked for, then keeps the stream open
	 * until the client goes away (a comment every 200 ms finds out), 60 s at most.
	 */
	private void listenToTasks(HttpExchange exchange, JsonNode id, ObjectNode params) throws IOException {
		boolean asked = false;
		for (JsonNode taskId : params.path("notifications").path("taskIds")) {
			asked |= TASK_ID.equals(taskId.asString(""));
		}
		startStream(exchange);
		ObjectNode ack = notification("notifications/subscriptions/acknowledged");
		ObjectNode filter = ack.putObject("params").putObject("notifications");
		if (asked) {
			filter.putArray("taskIds").add(TASK_ID);
		}
		event(exchange, ack);
		if (asked) {
			ObjectNode status = notification("notifications/tasks");
			ObjectNode task = status.putObject("params").put("taskId", TASK_ID).put("status", "completed");
			task.set("result", text("task done by " + this.name));
			event(exchange, status);
		}
		OutputStream body = exchange.getResponseBody();
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		try {
			while (System.nanoTime() < deadline) {
				Thread.sleep(200);
				body.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
				body.flush();
			}
		}
		catch (IOException | InterruptedException ex) {
			// The client went away.
		}
		exchange.close();
	}

	/** Takes the asking task's answer, acknowledged as the extension says. */
	private void updateTask(HttpExchange exchange, JsonNode id, ObjectNode params) throws IOException {
		if (!ASKING_TASK_ID.equals(params.path("taskId").asString(""))) {
			sendError(exchange, 200, id, -32602, "Unknown task", null);
			return;
		}
		JsonNode answer = params.path("inputResponses").path("name");
		if (answer.path("action").asString("").equals("accept")) {
			this.askingTaskName = answer.path("content").path("name").asString("");
		}
		sendResult(exchange, id, complete());
	}

	/** Refuses as the specification says unless the client declared sampling. */
	private void needsSampling(HttpExchange exchange, JsonNode id, ObjectNode params) throws IOException {
		if (params.path("_meta").path("io.modelcontextprotocol/clientCapabilities").has("sampling")) {
			sendResult(exchange, id, text("sampling declared"));
			return;
		}
		ObjectNode data = JSON.createObjectNode();
		data.putObject("requiredCapabilities").putObject("sampling");
		sendError(exchange, 400, id, -32021, "Missing required client capability: sampling", data);
	}

	/** A log message only when the request set a level (2026-07-28 has no setLevel). */
	private void streamLog(HttpExchange exchange, JsonNode id, ObjectNode params) throws IOException {
		startStream(exchange);
		if (params.path("_meta").has("io.modelcontextprotocol/logLevel")) {
			ObjectNode log = notification("notifications/message");
			log.putObject("params").put("level", "info").put("data", "logged by " + this.name);
			event(exchange, log);
		}
		event(exchange, response(id, text("logged")));
	}

	private ObjectNode discover() {
		ObjectNode result = complete();
		result.putArray("supportedVersions").add(VERSION);
		ObjectNode capabilities = result.putObject("capabilities");
		capabilities.putObject("tools").put("listChanged", true);
		capabilities.putObject("prompts");
		capabilities.putObject("resources");
		capabilities.putObject("extensions").putObject(TASKS_EXTENSION);
		result.putObject("_meta")
			.putObject("io.modelcontextprotocol/serverInfo")
			.put("name", this.name)
			.put("version", "1.0.0");
		result.put("instructions", "Use " + this.name + " statelessly.");
		result.put("ttlMs", this.listTtlMs);
		result.put("cacheScope", "public");
		return result;
	}

	private ObjectNode list(String field, ArrayNode items) {
		ObjectNode result = complete();
		result.set(field, items);
		result.put("ttlMs", this.listTtlMs);
		result.put("cacheScope", "public");
		return result;
	}

	private ArrayNode tools() {
		ArrayNode tools = JSON.createArrayNode();
		List<String> names = new ArrayList<>(
				List.of("echo", "add", "progress", "log", "needs_sampling", "confirm", "slow_task"));
		if (this.bearer != null) {
			names.add("subject");
		}
		for (String tool : names) {
			ObjectNode definition = tools.addObject();
			definition.put("name", tool);
			definition.put("description", "The " + tool + " tool");
			definition.putObject("inputSchema").put("type", "object");
		}
		// What a policy can tell tools apart by, besides their names
		((ObjectNode) tools.get(0)).putObject("annotations").put("readOnlyHint", true);
		((ObjectNode) tools.get(6)).putObject("annotations").put("destructiveHint", true);
		return tools;
	}

	private ArrayNode prompts() {
		ArrayNode prompts = JSON.createArrayNode();
		prompts.addObject().put("name", "greeting").put("description", "A greeting from " + this.name);
		return prompts;
	}

	private ArrayNode resources() {
		ArrayNode resources = JSON.createArrayNode();
		resources.addObject().put("uri", "stateless://" + this.name + "/note").put("name", "note");
		return resources;
	}

	private ObjectNode prompt(ObjectNode params) {
		ObjectNode result = complete();
		ObjectNode message = result.putArray("messages").addObject();
		message.put("role", "user");
		message.putObject("content").put("type", "text").put("text", "Hello from " + params.path("name").asString(""));
		return result;
	}

	private ObjectNode read(ObjectNode params) {
		ObjectNode result = complete();
		String uri = params.path("uri").asString("");
		result.putArray("contents").addObject().put("uri", uri).put("text", "the note of " + this.name);
		result.put("ttlMs", this.listTtlMs);
		result.put("cacheScope", "public");
		return result;
	}

	private static ObjectNode text(String text) {
		ObjectNode result = complete();
		result.putArray("content").addObject().put("type", "text").put("text", text);
		return result;
	}

	private static ObjectNode toolError(String text) {
		return text(text).put("isError", true);
	}

	private static ObjectNode complete() {
		return JSON.createObjectNode().put("resultType", "complete");
	}

	private static ObjectNode notification(String method) {
		return JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
	}

	private static ObjectNode response(JsonNode id, ObjectNode result) {
		ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
		response.set("id", id);
		response.set("result", result);
		return response;
	}

	private static void sendResult(HttpExchange exchange, JsonNode id, ObjectNode result) throws IOException {
		send(exchange, 200, response(id, result));
	}

	private static void sendError(HttpExchange exchange, int status, JsonNode id, int code, String message,
			JsonNode data) throws IOException {
		ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
		response.set("id", id);
		ObjectNode error = response.putObject("error").put("code", code).put("message", message);
		if (data != null) {
			error.set("data", data);
		}
		send(exchange, status, response);
	}

	private static void send(HttpExchange exchange, int status, JsonNode message) throws IOException {
		byte[] body = JSON.writeValueAsBytes(message);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, body.length);
		exchange.getResponseBody().write(body);
	}

	private static void startStream(HttpExchange exchange) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
		exchange.sendResponseHeaders(200, 0);
	}

	private static void event(HttpExchange exchange, JsonNode message) throws IOException {
		OutputStream body = exchange.getResponseBody();
		body.write(("data: " + JSON.writeValueAsString(message) + "\n\n").getBytes(StandardCharsets.UTF_8));
		body.flush();
	}

	/**
	 * One request as the member received it.
	 *
	 * @param method its JSON-RPC method
	 * @param body the whole message
	 * @param headers its headers, names in lower case
	 */
	public record Received(String method, JsonNode body, Map<String, String> headers) {

		public String header(String name) {
			return this.headers.getOrDefault(name.toLowerCase(), "");
		}

	}

}
