package dev.vmcp.sessions.mcp;

import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.ProtocolVersions;

/**
 * The experimental tasks of 2025-11-25 beside the extension that replaced them in
 * 2026-07-28 ({@code io.modelcontextprotocol/tasks}, SEP-2663), for a 2025 client whose
 * task runs on a 2026-07-28 member. The two are not wire-compatible: a 2025 client asks
 * for a task per call ({@code params.task}) and gets {@code {task: {...}}}, a 2026-07-28
 * client declares the extension per request and gets the task's fields at the top of the
 * result ({@code resultType: task}), {@code ttlMs} and {@code pollIntervalMs} for
 * {@code ttl} and {@code pollInterval}.
 */
public final class LegacyTasks {

	/** The 2026-07-28 extension. */
	public static final String EXTENSION = "io.modelcontextprotocol/tasks";

	/** The {@code _meta} key of 2025-11-25 that names the task a message belongs to. */
	public static final String RELATED_TASK = "io.modelcontextprotocol/related-task";

	private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

	private LegacyTasks() {
	}

	/**
	 * A 2025 client's task-augmented {@code tools/call}, or one of its task requests, as
	 * a 2026-07-28 member must get it: declaring the extension (the member refuses task
	 * requests and creates no task otherwise) and without {@code params.task}, which that
	 * revision removed. Any other request is returned as it is.
	 */
	static ObjectNode forStatelessMember(ClientContext context, ObjectNode request) {
		if (ProtocolVersions.isStateless(context.protocolVersion()) || !asksForTask(request)) {
			return request;
		}
		ObjectNode sent = request.deepCopy();
		ObjectNode params = (ObjectNode) sent.get("params");
		params.remove("task");
		ObjectNode meta = (params.get("_meta") instanceof ObjectNode object) ? object : params.putObject("_meta");
		ObjectNode declared = context.statelessMeta();
		declared.properties().forEach((entry) -> {
			if (!meta.has(entry.getKey())) {
				meta.set(entry.getKey(), entry.getValue());
			}
		});
		ObjectNode capabilities = (meta.get(StatelessMeta.CLIENT_CAPABILITIES) instanceof ObjectNode object)
				? object.deepCopy() : JsonRpc.objectNode();
		ObjectNode extensions = (capabilities.get("extensions") instanceof ObjectNode object) ? object
				: capabilities.putObject("extensions");
		if (!extensions.has(EXTENSION)) {
			extensions.putObject(EXTENSION);
		}
		meta.set(StatelessMeta.CLIENT_CAPABILITIES, capabilities);
		return sent;
	}

	private static boolean asksForTask(ObjectNode request) {
		if (!(request.get("params") instanceof ObjectNode params)) {
			return false;
		}
		String method = request.path("method").asString("");
		return method.startsWith("tasks/") || (method.equals("tools/call") && params.get("task") instanceof ObjectNode);
	}

	/**
	 * A 2026-07-28 task ({@code CreateTaskResult}, {@code tasks/get} result or
	 * {@code notifications/tasks} params) as a 2025-11-25 {@code Task} with
	 * {@code taskId}: its result, error or input requests stay behind.
	 */
	public static ObjectNode task(JsonNode task, String taskId) {
		return withTimings(task, taskId, "ttlMs", "ttl", "pollIntervalMs", "pollInterval");
	}

	/**
	 * A 2025-11-25 {@code Task} (of a {@code CreateTaskResult}, a {@code tasks/get}
	 * result or {@code notifications/tasks/status} params) as the extension's, with
	 * {@code taskId}: {@code ttlMs} and {@code pollIntervalMs} for {@code ttl} and
	 * {@code pollInterval}.
	 */
	public static ObjectNode extensionTask(JsonNode task, String taskId) {
		return withTimings(task, taskId, "ttl", "ttlMs", "pollInterval", "pollIntervalMs");
	}

	/**
	 * The task's status fields under {@code taskId}, and its timings under the other
	 * revision's names. The time to live is required in both revisions, null for
	 * unlimited.
	 */
	private static ObjectNode withTimings(JsonNode task, String taskId, String ttl, String ttlAs, String pollInterval,
			String pollIntervalAs) {
		ObjectNode converted = JsonRpc.objectNode();
		converted.put("taskId", taskId);
		for (String field : List.of("status", "statusMessage", "createdAt", "lastUpdatedAt")) {
			copy(task, field, converted, field);
		}
		if (task.has(ttl)) {
			converted.set(ttlAs, task.get(ttl));
		}
		else {
			converted.putNull(ttlAs);
		}
		copy(task, pollInterval, converted, pollIntervalAs);
		return converted;
	}

	/**
	 * Whether a 2025 member's {@code initialize} capabilities let a {@code tools/call} be
	 * task-augmented ({@code tasks.requests.tools.call}).
	 */
	public static boolean offersToolTasks(JsonNode capabilities) {
		return capabilities.path("tasks").path("requests").path("tools").has("call");
	}

	/**
	 * The members' merged capabilities as a 2026-07-28 client must see them: the
	 * extension where a 2025 member runs tool calls as tasks, which the gateway
	 * translates, and never the 2025-11-25 declarations, which the extension forbids
	 * under any revision that has it.
	 */
	public static void declareForStateless(ObjectNode capabilities) {
		JsonNode legacy = capabilities.remove("tasks");
		if (legacy == null || !legacy.path("requests").path("tools").has("call")) {
			return;
		}
		ObjectNode extensions = (capabilities.get("extensions") instanceof ObjectNode object) ? object
				: capabilities.putObject("extensions");
		if (!extensions.has(EXTENSION)) {
			extensions.putObject(EXTENSION);
		}
	}

	/**
	 * Declares the 2025-11-25 task capabilities a 2025 client needs to ask for tasks
	 * ({@code tasks.cancel}, {@code tasks.requests.tools.call}) when a 2026-07-28 member
	 * offers the extension.
	 * @param statelessResults the 2026-07-28 members' {@code server/discover} results
	 */
	public static void declareFor2025(ObjectNode capabilities, List<JsonNode> statelessResults) {
		boolean offered = statelessResults.stream()
			.anyMatch((result) -> result.path("capabilities").path("extensions").has(EXTENSION));
		if (!offered) {
			return;
		}
		ObjectNode tasks = (capabilities.get("tasks") instanceof ObjectNode object) ? object
				: capabilities.putObject("tasks");
		if (!tasks.has("cancel")) {
			tasks.putObject("cancel");
		}
		ObjectNode requests = (tasks.get("requests") instanceof ObjectNode object) ? object
				: tasks.putObject("requests");
		ObjectNode tools = (requests.get("tools") instanceof ObjectNode object) ? object : requests.putObject("tools");
		if (!tools.has("call")) {
			tools.putObject("call");
		}
	}

	/** Whether a task's status is final: completed, failed or cancelled. */
	public static boolean isTerminal(JsonNode task) {
		return TERMINAL.contains(task.path("status").asString(""));
	}

	private static void copy(JsonNode from, String field, ObjectNode to, String as) {
		JsonNode value = from.get(field);
		if (value != null) {
			to.set(as, value);
		}
	}

}
