package dev.vmcp.sessions.mcp;

import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A member's messages as a client must see them when they name a task: every task id the
 * member's own replaced by the gateway's ({@link TaskIds}), so that the client never
 * learns a member's id and its next task request reaches the member from any pod. A 2025
 * client also gets a 2026-07-28 member's task in the 2025-11-25 shape
 * ({@link LegacyTasks}).
 */
public final class ClientTaskIds {

	private static final String TASK_STATUS = "notifications/tasks/status";

	private static final String TASKS = "notifications/tasks";

	private ClientTaskIds() {
	}

	/**
	 * For a 2025 client: a task handle ({@code {task: {...}}}, or a 2026-07-28 member's
	 * {@code resultType: task}), a task status notification (either revision's) and the
	 * {@code io.modelcontextprotocol/related-task} of any message.
	 * @param wrap the gateway's id for one of the member's
	 * @return the message rewritten, or null when it names no task
	 */
	public static @Nullable ObjectNode forSessionClient(JsonNode message, UnaryOperator<String> wrap) {
		if (!(message instanceof ObjectNode original)) {
			return null;
		}
		ObjectNode copy = original.deepCopy();
		boolean changed = false;
		if (copy.get("result") instanceof ObjectNode result) {
			if ("task".equals(result.path("resultType").asString("")) && isId(result.get("taskId"))) {
				ObjectNode created = JsonRpc.objectNode();
				created.set("task", LegacyTasks.task(result, wrap.apply(result.get("taskId").asString())));
				if (result.get("_meta") != null) {
					created.set("_meta", result.get("_meta"));
				}
				copy.set("result", created);
				return copy;
			}
			changed |= (result.get("task") instanceof ObjectNode task) && wrapId(task, wrap);
			changed |= wrapRelatedTask(result, wrap);
		}
		if (copy.get("params") instanceof ObjectNode params) {
			String method = copy.path("method").asString("");
			if (method.equals(TASKS) && isId(params.get("taskId"))) {
				copy.put("method", TASK_STATUS);
				copy.set("params", LegacyTasks.task(params, wrap.apply(params.get("taskId").asString())));
				return copy;
			}
			changed |= method.equals(TASK_STATUS) && wrapId(params, wrap);
			changed |= wrapRelatedTask(params, wrap);
		}
		return changed ? copy : null;
	}

	/**
	 * The answer to a 2025 client's {@code tasks/get}, {@code tasks/cancel} or
	 * {@code tasks/list}, whose result names its tasks at the top.
	 * @return the message rewritten, or null when it names no task
	 */
	public static @Nullable ObjectNode inTaskAnswer(JsonNode message, UnaryOperator<String> wrap) {
		if (!(message.get("result") instanceof ObjectNode) || !(message instanceof ObjectNode original)) {
			return null;
		}
		ObjectNode copy = original.deepCopy();
		ObjectNode result = (ObjectNode) copy.get("result");
		boolean changed = wrapId(result, wrap);
		for (JsonNode listed : result.path("tasks")) {
			changed |= (listed instanceof ObjectNode task) && wrapId(task, wrap);
		}
		return changed ? copy : null;
	}

	/**
	 * For a 2026-07-28 client: a task status notification ({@code notifications/tasks},
	 * or a 2025 member's {@code notifications/tasks/status} as the extension's), a 2025
	 * member's {@code CreateTaskResult} as the extension's ({@code resultType: task}),
	 * and the {@code io.modelcontextprotocol/related-task} of a 2025 member's message.
	 * @return the message rewritten, or null when it names no task
	 */
	public static @Nullable ObjectNode forStatelessClient(JsonNode message, UnaryOperator<String> wrap) {
		if (!(message instanceof ObjectNode original)) {
			return null;
		}
		ObjectNode copy = original.deepCopy();
		String method = copy.path("method").asString("");
		if (copy.get("params") instanceof ObjectNode params) {
			if (method.equals(TASK_STATUS) && isId(params.get("taskId"))) {
				copy.put("method", TASKS);
				ObjectNode task = LegacyTasks.extensionTask(params, wrap.apply(params.get("taskId").asString()));
				copyMeta(params, task, wrap);
				copy.set("params", task);
				return copy;
			}
			boolean changed = method.equals(TASKS) && wrapId(params, wrap);
			changed |= wrapRelatedTask(params, wrap);
			return changed ? copy : null;
		}
		if (copy.get("result") instanceof ObjectNode result && !result.has("resultType")
				&& result.get("task") instanceof ObjectNode legacy && isId(legacy.get("taskId"))) {
			ObjectNode created = JsonRpc.objectNode().put("resultType", "task");
			created.setAll(LegacyTasks.extensionTask(legacy, wrap.apply(legacy.get("taskId").asString())));
			copyMeta(result, created, wrap);
			copy.set("result", created);
			return copy;
		}
		return (copy.get("result") instanceof ObjectNode result && wrapRelatedTask(result, wrap)) ? copy : null;
	}

	private static void copyMeta(ObjectNode from, ObjectNode to, UnaryOperator<String> wrap) {
		if (from.get("_meta") instanceof ObjectNode meta) {
			to.set("_meta", meta);
			wrapRelatedTask(to, wrap);
		}
	}

	private static boolean wrapRelatedTask(ObjectNode holder, UnaryOperator<String> wrap) {
		return (holder.path("_meta").get(LegacyTasks.RELATED_TASK) instanceof ObjectNode related)
				&& wrapId(related, wrap);
	}

	private static boolean wrapId(ObjectNode holder, UnaryOperator<String> wrap) {
		if (!isId(holder.get("taskId"))) {
			return false;
		}
		holder.put("taskId", wrap.apply(holder.get("taskId").asString()));
		return true;
	}

	private static boolean isId(@Nullable JsonNode taskId) {
		return taskId != null && taskId.isString();
	}

}
