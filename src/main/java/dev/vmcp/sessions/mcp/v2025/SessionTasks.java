package dev.vmcp.sessions.mcp.v2025;

import java.time.Duration;
import java.util.function.UnaryOperator;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.mcp.ClientAccepts;
import dev.vmcp.sessions.mcp.ClientDialect;
import dev.vmcp.sessions.mcp.ClientResponse;
import dev.vmcp.sessions.mcp.ClientTaskIds;
import dev.vmcp.sessions.mcp.ForwardingDialect;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.LegacyTasks;
import dev.vmcp.sessions.mcp.McpMetrics;
import dev.vmcp.sessions.mcp.Members;
import dev.vmcp.sessions.mcp.RequestFlow;
import dev.vmcp.sessions.mcp.TaskIds;

/**
 * A 2025 client's task requests (the experimental tasks of 2025-11-25): each names a task
 * by the gateway's id, which says which member runs it and the member's own id, so that
 * any pod routes it without looking anything up; an id another caller got is an unknown
 * task that never reaches a member.
 * <ul>
 * <li>A 2025 member's task: the request goes to the member with its own id, the answer
 * comes back with the gateway's.</li>
 * <li>A 2026-07-28 member's task (extension {@code io.modelcontextprotocol/tasks}):
 * {@code tasks/get} is the extension's, its answer in the 2025-11-25 shape;
 * {@code tasks/cancel} is refused for a finished task, as 2025-11-25 says, then sent and
 * answered with the task as {@code tasks/get} sees it after; {@code tasks/result}, which
 * the extension removed, is answered by polling {@code tasks/get} until the task is
 * finished (as long as a call to that member may take) and returning what it inlines;
 * what the task waits for meanwhile ({@code input_required}) is asked on the
 * {@code tasks/result} stream as 2025-11-25 asks it ({@link TaskInputs}), and the answers
 * go to the member with {@code tasks/update}.</li>
 * <li>{@code tasks/list}: the tasks of the members that list theirs (2025 members that
 * declare {@code tasks.list}; the extension has no list), each member's pages in
 * membership order. Each member lists what the caller's own backend session may see.</li>
 * </ul>
 */
final class SessionTasks {

	private static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

	private static final Duration SHORTEST_POLL_INTERVAL = Duration.ofMillis(50);

	private static final Duration LONGEST_POLL_INTERVAL = Duration.ofSeconds(5);

	private final Members members;

	private final RequestFlow flow;

	private final TaskIds taskIds;

	private final TaskLists lists;

	private final JsonMapper json;

	private final MemberInputs inputs;

	SessionTasks(Members members, RequestFlow flow, TaskIds taskIds, MemberInputs inputs, JsonMapper json) {
		this.inputs = inputs;
		this.members = members;
		this.flow = flow;
		this.taskIds = taskIds;
		this.lists = new TaskLists(members, taskIds);
		this.json = json;
	}

	/**
	 * Answers {@code tasks/get}, {@code tasks/cancel}, {@code tasks/result} or
	 * {@code tasks/list}.
	 * @return the member the request went to, or the gateway
	 */
	String handle(SessionContext context, String method, ObjectNode request, ClientAccepts accepts,
			HttpServletResponse response, ClientDialect dialect, ClientResponse gatewayAnswer) {
		JsonNode id = request.get("id");
		if (method.equals("tasks/list")) {
			gatewayAnswer.answer(JsonRpc.result(id, this.lists.page(context, request.path("params"))));
			return McpMetrics.GATEWAY;
		}
		String gatewayTaskId = request.path("params").path("taskId").asString("");
		TaskIds.MemberTask task = this.taskIds.requested(context, request.path("params"));
		((ObjectNode) request.get("params")).put("taskId", task.taskId());
		if (!isStateless(context, task.member())) {
			return this.flow.forward(context, task.member(), request, accepts, response,
					new NamingTasks(dialect, wrap(context, task.member()), this.json, !method.equals("tasks/result")));
		}
		ObjectNode answer = switch (method) {
			case "tasks/get" -> JsonRpc.result(id, LegacyTasks.task(get(context, task), gatewayTaskId));
			case "tasks/cancel" -> JsonRpc.result(id, LegacyTasks.task(cancel(context, task), gatewayTaskId));
			case "tasks/result" -> resultAskingTheClient(context, task, id, gatewayTaskId, accepts, gatewayAnswer);
			default -> throw new JsonRpcError(JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method);
		};
		gatewayAnswer.answer(answer);
		return task.member();
	}

	private boolean isStateless(SessionContext context, String member) {
		try {
			return context.connection(member).isStateless();
		}
		catch (BackendUnavailableException ex) {
			throw unavailable(member, ex);
		}
	}

	private UnaryOperator<String> wrap(SessionContext context, String member) {
		return (memberTaskId) -> this.taskIds.wrap(context.caller(), member, memberTaskId);
	}

	/** The extension's task, as the member sees it now. */
	private JsonNode get(SessionContext context, TaskIds.MemberTask task) {
		return call(context, task, "tasks/get");
	}

	/**
	 * 2025-11-25 refuses to cancel a finished task and answers with the task cancelled;
	 * the extension acknowledges any cancellation and applies it when it can, so the
	 * answer is the task as the member sees it just after.
	 */
	private JsonNode cancel(SessionContext context, TaskIds.MemberTask task) {
		JsonNode before = get(context, task);
		if (LegacyTasks.isTerminal(before)) {
			throw new JsonRpcError(JsonRpc.INVALID_PARAMS,
					"Cannot cancel task: already in terminal status '" + before.path("status").asString() + "'");
		}
		call(context, task, "tasks/cancel");
		return get(context, task);
	}

	/**
	 * What the task's request answered, once it is finished; the questions it waits for
	 * meanwhile are asked on this request's stream, and an error after the first of them
	 * is answered there too.
	 */
	private ObjectNode resultAskingTheClient(SessionContext context, TaskIds.MemberTask task, JsonNode id,
			String gatewayTaskId, ClientAccepts accepts, ClientResponse relay) {
		TaskInputs asked = this.inputs.forTask(context, task.member(), relay, id);
		try {
			return result(id, waitUntilFinished(context, task, asked, accepts), gatewayTaskId);
		}
		catch (JsonRpcError ex) {
			if (asked.asking()) {
				return ex.toResponse(id);
			}
			throw ex;
		}
		finally {
			this.inputs.done(asked);
		}
	}

	/**
	 * 2025-11-25 blocks {@code tasks/result} until the task is finished; the extension
	 * has clients poll instead, at the interval the task suggests, and answer what it
	 * waits for with {@code tasks/update}.
	 */
	private JsonNode waitUntilFinished(SessionContext context, TaskIds.MemberTask task, TaskInputs asked,
			ClientAccepts accepts) {
		long deadline = System.nanoTime() + this.members.definition(task.member()).callTimeout().toNanos();
		JsonNode status = get(context, task);
		while (!LegacyTasks.isTerminal(status)) {
			if (status.path("status").asString("").equals("input_required")) {
				ObjectNode answers = asked.answers(status.path("inputRequests"), accepts.eventStream());
				if (!answers.isEmpty()) {
					update(context, task, answers);
					// The client's answers took their time: the member's too.
					deadline = System.nanoTime() + this.members.definition(task.member()).callTimeout().toNanos();
				}
			}
			Duration interval = pollInterval(status);
			if (System.nanoTime() + interval.toNanos() > deadline) {
				throw new JsonRpcError(JsonRpc.INTERNAL_ERROR,
						"The task did not finish within the call timeout of backend " + task.member());
			}
			sleep(interval);
			status = get(context, task);
		}
		return status;
	}

	/**
	 * What the task's request would have answered: its result, with the task it belongs
	 * to in {@code _meta} as 2025-11-25 requires, or its error.
	 */
	private static ObjectNode result(JsonNode id, JsonNode finished, String gatewayTaskId) {
		String status = finished.path("status").asString("");
		if (status.equals("completed") && finished.get("result") instanceof ObjectNode result) {
			ObjectNode answer = result.deepCopy();
			ObjectNode meta = (answer.get("_meta") instanceof ObjectNode object) ? object : answer.putObject("_meta");
			meta.putObject(LegacyTasks.RELATED_TASK).put("taskId", gatewayTaskId);
			return JsonRpc.result(id, answer);
		}
		if (status.equals("failed") && finished.get("error") instanceof ObjectNode error) {
			ObjectNode answer = JsonRpc.objectNode();
			answer.put("jsonrpc", "2.0");
			answer.set("id", id);
			answer.set("error", error);
			return answer;
		}
		// As 2025 servers answer for a task that was cancelled (or finished without one).
		return JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, "Task " + gatewayTaskId + " was " + status);
	}

	/** The client's answers to what the task waits for, as the extension takes them. */
	private void update(SessionContext context, TaskIds.MemberTask task, ObjectNode answers) {
		ObjectNode params = JsonRpc.objectNode().put("taskId", task.taskId());
		params.set("inputResponses", answers);
		call(context, task, "tasks/update", params);
	}

	private JsonNode call(SessionContext context, TaskIds.MemberTask task, String method) {
		return call(context, task, method, JsonRpc.objectNode().put("taskId", task.taskId()));
	}

	private JsonNode call(SessionContext context, TaskIds.MemberTask task, String method, ObjectNode params) {
		JsonNode answer;
		try {
			answer = this.members.call(context, task.member(), method, params);
		}
		catch (BackendUnavailableException ex) {
			throw unavailable(task.member(), ex);
		}
		if (answer.get("error") instanceof JsonNode error) {
			throw new JsonRpcError(error.path("code").asInt(JsonRpc.INTERNAL_ERROR), error.path("message").asString(""),
					error.get("data"));
		}
		return answer.path("result");
	}

	private static Duration pollInterval(JsonNode task) {
		JsonNode suggested = task.get("pollIntervalMs");
		Duration interval = (suggested != null && suggested.canConvertToLong()) ? Duration.ofMillis(suggested.asLong())
				: DEFAULT_POLL_INTERVAL;
		return (interval.compareTo(SHORTEST_POLL_INTERVAL) < 0) ? SHORTEST_POLL_INTERVAL
				: (interval.compareTo(LONGEST_POLL_INTERVAL) > 0) ? LONGEST_POLL_INTERVAL : interval;
	}

	private static void sleep(Duration interval) {
		try {
			Thread.sleep(interval);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new JsonRpcError(JsonRpc.INTERNAL_ERROR, "Interrupted while the task ran");
		}
	}

	private static JsonRpcError unavailable(String member, BackendUnavailableException cause) {
		return new JsonRpcError(JsonRpc.BACKEND_UNAVAILABLE, "Backend " + member + ": " + cause.getMessage());
	}

	/**
	 * The client's dialect, with the member's ids in the answer to a task request
	 * replaced by the gateway's first.
	 */
	private static final class NamingTasks extends ForwardingDialect {

		private final UnaryOperator<String> wrap;

		private final JsonMapper json;

		private final boolean answerNamesTasks;

		NamingTasks(ClientDialect dialect, UnaryOperator<String> wrap, JsonMapper json, boolean answerNamesTasks) {
			super(dialect);
			this.wrap = wrap;
			this.json = json;
			this.answerNamesTasks = answerNamesTasks;
		}

		@Override
		public @Nullable String forClient(String member, String text, JsonNode message) {
			ObjectNode named = this.answerNamesTasks ? ClientTaskIds.inTaskAnswer(message, this.wrap) : null;
			return (named != null) ? dialect().forClient(member, this.json.writeValueAsString(named), named)
					: dialect().forClient(member, text, message);
		}

	}

}
