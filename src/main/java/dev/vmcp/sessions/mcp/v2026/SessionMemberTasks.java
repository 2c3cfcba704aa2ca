package dev.vmcp.sessions.mcp.v2026;

import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.backend.MemberRevision;
import dev.vmcp.sessions.backend.MemberRevisions;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.LegacyTasks;
import dev.vmcp.sessions.mcp.Members;
import dev.vmcp.sessions.mcp.RequestFlow;
import dev.vmcp.sessions.mcp.TaskIds;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionNotFoundException;

/**
 * A 2025 member's tasks (the experimental tasks of 2025-11-25) for a 2026-07-28 client
 * that declared the extension {@code io.modelcontextprotocol/tasks} (SEP-2663). The two
 * are not wire-compatible, so the gateway translates:
 * <ul>
 * <li>a {@code tools/call} reaches the member task-augmented ({@code params.task}) when
 * the member declared {@code tasks.requests.tools.call} and the tool allows it
 * ({@code execution.taskSupport}); its {@code CreateTaskResult} reaches the client as the
 * extension's ({@code resultType: task}, see
 * {@link dev.vmcp.sessions.mcp.ClientTaskIds});</li>
 * <li>{@code tasks/get} is answered from the member's {@code tasks/get}, a finished
 * task's outcome inlined from the member's {@code tasks/result};</li>
 * <li>{@code tasks/cancel} is the member's, answered with the extension's
 * acknowledgment;</li>
 * <li>{@code tasks/update} has nothing to answer: the member asks its questions only on
 * {@code tasks/result}, so the task never has input requests the client could
 * answer.</li>
 * </ul>
 * Every request about the task goes through the caller session it was created in (its id
 * names it), since the member binds its tasks to that session.
 */
final class SessionMemberTasks {

	private static final Set<String> TASK_EXECUTIONS = Set.of("optional", "required");

	private final Members members;

	private final RequestFlow flow;

	private final MemberRevisions revisions;

	SessionMemberTasks(Members members, RequestFlow flow, MemberRevisions revisions) {
		this.members = members;
		this.flow = flow;
		this.revisions = revisions;
	}

	/**
	 * Asks a 2025 member for a task where the client declared the extension, the member
	 * runs tool calls as tasks and the tool allows it; a tool that runs only as a task is
	 * refused ({@code -32021}) to a client that did not declare the extension, as the
	 * extension says.
	 */
	void augment(StatelessContext context, ObjectNode request) {
		String member;
		try {
			member = this.flow.memberFor(context, request);
		}
		catch (JsonRpcError ex) {
			// Routing answers for an unknown tool in a moment.
			return;
		}
		MemberRevision revision = context.revisions().get(member);
		if (revision == null || revision.stateless()) {
			return;
		}
		String execution = this.flow.tool(context, request.path("params").path("name").asString(""))
			.map((tool) -> tool.path("execution").path("taskSupport").asString(""))
			.orElse("");
		if (!TASK_EXECUTIONS.contains(execution)) {
			return;
		}
		if (!declaresTasks(context)) {
			if (execution.equals("required")) {
				throw missingExtension();
			}
			return;
		}
		boolean offered;
		try {
			// A session restored on this pod has no initialize result; a pod that never
			// initialized the member trusts the tool, which a member lists with a task
			// support only where it declared tasks for tool calls.
			offered = context.connection(member)
				.initializeResult()
				.or(() -> this.revisions.lastInitializeResult(member))
				.map((result) -> LegacyTasks.offersToolTasks(result.path("capabilities")))
				.orElse(true);
		}
		catch (BackendUnavailableException ex) {
			// Routing answers for a member that is down in a moment.
			return;
		}
		if (offered && request.get("params") instanceof ObjectNode params && !params.has("task")) {
			params.putObject("task");
		}
	}

	/**
	 * Answers {@code tasks/get}, {@code tasks/cancel} or {@code tasks/update} of a 2025
	 * member's task in the extension's shape.
	 * @param gatewayTaskId the id the client named it by
	 */
	ObjectNode answer(StatelessContext context, String method, JsonNode id, TaskIds.MemberTask task,
			String gatewayTaskId) {
		if (!declaresTasks(context)) {
			throw missingExtension();
		}
		useItsSession(context, task, gatewayTaskId);
		ObjectNode result = switch (method) {
			case "tasks/get" -> get(context, task, gatewayTaskId);
			case "tasks/cancel" -> cancel(context, task);
			case "tasks/update" -> throw new JsonRpcError(JsonRpc.INVALID_PARAMS,
					"Invalid params: task " + gatewayTaskId + " has no outstanding input requests: backend "
							+ task.member()
							+ " runs it as a 2025-11-25 task, which asks for input only on tasks/result");
			default -> throw new JsonRpcError(JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method);
		};
		return JsonRpc.result(id, result);
	}

	/**
	 * The task as the extension's {@code tasks/get} shows it: a finished one with what
	 * its request answered, a result ({@code completed}, even where 2025-11-25 calls a
	 * tool's error result {@code failed}) or a JSON-RPC error ({@code failed}).
	 */
	private ObjectNode get(StatelessContext context, TaskIds.MemberTask task, String gatewayTaskId) {
		JsonNode status = result(call(context, task, "tasks/get"));
		ObjectNode answer = JsonRpc.objectNode().put("resultType", "complete");
		answer.setAll(LegacyTasks.extensionTask(status, gatewayTaskId));
		switch (status.path("status").asString("")) {
			case "completed", "failed" -> {
				JsonNode outcome = call(context, task, "tasks/result");
				if (outcome.get("error") instanceof ObjectNode error) {
					answer.put("status", "failed");
					answer.set("error", error);
				}
				else if (outcome.get("result") instanceof ObjectNode finished) {
					ObjectNode inlined = finished.deepCopy();
					if (inlined.get("_meta") instanceof ObjectNode meta) {
						// The member's own id, which the extension has no use for.
						meta.remove(LegacyTasks.RELATED_TASK);
					}
					answer.put("status", "completed");
					answer.set("result", inlined);
				}
			}
			// Asked only on tasks/result, which the gateway does not relay to this
			// client.
			case "input_required" -> answer.putObject("inputRequests");
			default -> {
			}
		}
		return answer;
	}

	/**
	 * The member's cancellation; the extension acknowledges even a task that finished
	 * meanwhile (2025-11-25 refuses it), but never an unknown one.
	 */
	private ObjectNode cancel(StatelessContext context, TaskIds.MemberTask task) {
		JsonNode answer = call(context, task, "tasks/cancel");
		if (answer.get("error") != null && !LegacyTasks.isTerminal(result(call(context, task, "tasks/get")))) {
			result(answer);
		}
		return JsonRpc.objectNode().put("resultType", "complete");
	}

	private static void useItsSession(StatelessContext context, TaskIds.MemberTask task, String gatewayTaskId) {
		if (task.session() == null) {
			throw TaskIds.unknown(gatewayTaskId);
		}
		try {
			context.useCallerSession(task.member(), new SessionId(task.session()));
		}
		catch (SessionNotFoundException ex) {
			// Its session expired, and the member's tasks with it.
			throw TaskIds.unknown(gatewayTaskId);
		}
	}

	/** The member's response message to one of the gateway's task requests. */
	private JsonNode call(StatelessContext context, TaskIds.MemberTask task, String method) {
		ObjectNode params = JsonRpc.objectNode().put("taskId", task.taskId());
		try {
			return this.members.call(context, task.member(), method, params);
		}
		catch (BackendUnavailableException ex) {
			throw new JsonRpcError(JsonRpc.BACKEND_UNAVAILABLE, "Backend " + task.member() + ": " + ex.getMessage());
		}
	}

	/** The result of a member's response, or its error as the client's. */
	private static JsonNode result(JsonNode answer) {
		if (answer.get("error") instanceof JsonNode error) {
			throw new JsonRpcError(error.path("code").asInt(JsonRpc.INTERNAL_ERROR), error.path("message").asString(""),
					error.get("data"));
		}
		return answer.path("result");
	}

	private static boolean declaresTasks(StatelessContext context) {
		return context.declaredCapabilities().path("extensions").has(LegacyTasks.EXTENSION);
	}

	private static JsonRpcError missingExtension() {
		ObjectNode data = JsonRpc.objectNode();
		data.putObject("requiredCapabilities").putObject("extensions").putObject(LegacyTasks.EXTENSION);
		return new JsonRpcError(JsonRpc.MISSING_REQUIRED_CLIENT_CAPABILITY,
				"Missing required client capability: extension " + LegacyTasks.EXTENSION, data);
	}

}
