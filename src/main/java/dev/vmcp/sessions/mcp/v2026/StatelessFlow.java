package dev.vmcp.sessions.mcp.v2026;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.MemberRevision;
import dev.vmcp.sessions.mcp.CatalogKind;
import dev.vmcp.sessions.mcp.ClientAccepts;
import dev.vmcp.sessions.mcp.ClientResponse;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.McpException;
import dev.vmcp.sessions.mcp.McpMetrics;
import dev.vmcp.sessions.mcp.ParameterHeaders;
import dev.vmcp.sessions.mcp.RequestFlow;
import dev.vmcp.sessions.mcp.RequestStates;
import dev.vmcp.sessions.mcp.RevisionFlow;
import dev.vmcp.sessions.mcp.TaskIds;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionService;

/**
 * Serves 2026-07-28 POSTs on any pod without a session: {@code server/discover} and the
 * merged lists from this pod's catalogs, requests that name a tool, prompt or resource
 * routed to their member, requests about a member's task routed by its id,
 * {@code subscriptions/listen} relayed from the members' own; anything else, the methods
 * that revision removed included, is an unknown method. {@code Mcp-Session-Id} and
 * {@code Last-Event-ID} are ignored, as the specification says.
 */
final class StatelessFlow implements RevisionFlow {

	private final StatelessMembers members;

	private final RequestFlow flow;

	private final Discovery discovery;

	private final Subscriptions subscriptions;

	private final RequestStates states;

	private final CallerSessions callerSessions;

	private final TaskIds taskIds;

	private final SessionService sessions;

	private final JsonMapper json;

	private final MemberQuestions questions;

	private final CallerLogLevels logLevels;

	private final SessionMemberTasks sessionMemberTasks;

	StatelessFlow(StatelessMembers members, RequestFlow flow, Discovery discovery, Subscriptions subscriptions,
			RequestStates states, TaskIds taskIds, CallerSessions callerSessions, SessionService sessions,
			CallerLogLevels logLevels, MemberQuestions questions, SessionMemberTasks sessionMemberTasks,
			JsonMapper json) {
		this.logLevels = logLevels;
		this.questions = questions;
		this.sessionMemberTasks = sessionMemberTasks;
		this.states = states;
		this.taskIds = taskIds;
		this.callerSessions = callerSessions;
		this.sessions = sessions;
		this.members = members;
		this.flow = flow;
		this.discovery = discovery;
		this.subscriptions = subscriptions;
		this.json = json;
	}

	@Override
	public boolean claims(HttpServletRequest request, ObjectNode message) {
		return StatelessRequest.claims(request, message);
	}

	@Override
	public void post(Caller caller, ObjectNode message, ClientAccepts accepts, HttpServletRequest request,
			HttpServletResponse response) {
		if (JsonRpc.isResponse(message)) {
			throw McpException.badRequest("A 2026-07-28 client sends no responses: nothing asked it anything");
		}
		StatelessRequest checked = this.flow.admit(caller, message, () -> StatelessRequest.check(request, message));
		if (JsonRpc.isNotification(message)) {
			// A request is cancelled by closing its stream; a subscription also by name,
			// as clients that keep their listen stream's connection do.
			if (message.path("method").asString("").equals("notifications/cancelled")
					&& message.path("params").has("requestId")) {
				this.subscriptions.cancel(caller, message.path("params").get("requestId"));
			}
			response.setStatus(HttpStatus.ACCEPTED.value());
			return;
		}
		StatelessContext context = new StatelessContext(caller, checked, this.members, this.callerSessions,
				this.logLevels, this.sessions);
		// Bound to the request as the client named it, before routing renames its target.
		String requestKey = RequestStates.requestKey(message);
		String method = message.path("method").asString("");
		StatelessDialect.Parking parking = MemberQuestions.parksOn(method) ? (member, question,
				answer) -> this.questions.park(context, message, requestKey, member, question, answer)
				: StatelessDialect.Parking.NONE;
		StatelessDialect dialect = new StatelessDialect(this.json, checked.logLevel().orElse(null),
				(member, memberState) -> this.states.wrap(caller, requestKey, member, memberState),
				(member, memberTaskId) -> this.taskIds.wrap(caller, member, memberTaskId,
						context.callerSessionId(member).map(SessionId::value).orElse(null)),
				method.startsWith("tasks/"), parking);
		this.flow.answer(context, message, accepts, response, dialect, (called, body, gatewayAnswer) -> handle(context,
				called, body, accepts, request, response, dialect, gatewayAnswer));
	}

	private String handle(StatelessContext context, String method, ObjectNode request, ClientAccepts accepts,
			HttpServletRequest httpRequest, HttpServletResponse response, StatelessDialect dialect,
			ClientResponse gatewayAnswer) {
		JsonNode id = request.get("id");
		ObjectNode params = (request.get("params") instanceof ObjectNode object) ? object : JsonRpc.objectNode();
		switch (method) {
			case "server/discover" -> gatewayAnswer.answer(JsonRpc.result(id, this.discovery.describe(context)));
			case "tools/list", "prompts/list", "resources/list", "resources/templates/list" ->
				gatewayAnswer.answer(JsonRpc.result(id, list(context, CatalogKind.forMethod(method), params)));
			case "tools/call" -> {
				checkParameterHeaders(context, request, httpRequest);
				this.sessionMemberTasks.augment(context, request);
				return routeWithState(context, request, accepts, response, dialect);
			}
			case "prompts/get", "resources/read" -> {
				return routeWithState(context, request, accepts, response, dialect);
			}
			case "completion/complete" -> {
				return this.flow.route(context, request, accepts, response, dialect);
			}
			case "tasks/get", "tasks/update", "tasks/cancel" -> {
				return routeTask(context, request, accepts, response, dialect, gatewayAnswer);
			}
			case "subscriptions/listen" -> this.subscriptions.serve(context, request, response);
			default -> throw new JsonRpcError(JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method);
		}
		return McpMetrics.GATEWAY;
	}

	/**
	 * Routes a request that may be the retry of a Multi Round-Trip Request: the state it
	 * carries is the gateway's, checked and replaced by the member's own, and the request
	 * must reach the member that issued it; or, when it names a call the gateway parked
	 * on a 2025 member's question, the call is resumed with the client's answers.
	 */
	private String routeWithState(StatelessContext context, ObjectNode request, ClientAccepts accepts,
			HttpServletResponse response, StatelessDialect dialect) {
		if (!(request.path("params").get("requestState") instanceof JsonNode state) || !state.isString()) {
			return this.flow.route(context, request, accepts, response, dialect);
		}
		String requestKey = RequestStates.requestKey(request);
		RequestStates.Unwrapped unwrapped = this.states.unwrap(context.caller(), requestKey, state.asString());
		if (unwrapped.parked() != null) {
			return this.questions.resume(context, request, requestKey, unwrapped.member(), unwrapped.parked(), accepts,
					response, dialect);
		}
		((ObjectNode) request.get("params")).put("requestState", unwrapped.memberState());
		return this.flow.route(context, request, accepts, response, dialect, unwrapped.member());
	}

	/**
	 * A request about a member's task goes to that member with the member's own id for
	 * it, whichever pod it reaches; an id another caller got is unknown here. A 2025
	 * member's task is answered in the extension's shape from the member's own task
	 * requests.
	 */
	private String routeTask(StatelessContext context, ObjectNode request, ClientAccepts accepts,
			HttpServletResponse response, StatelessDialect dialect, ClientResponse gatewayAnswer) {
		TaskIds.MemberTask task = this.taskIds.requested(context, request.path("params"));
		MemberRevision revision = context.revisions().get(task.member());
		if (revision != null && !revision.stateless()) {
			gatewayAnswer.answer(this.sessionMemberTasks.answer(context, request.path("method").asString(""),
					request.get("id"), task, request.path("params").path("taskId").asString()));
			return task.member();
		}
		((ObjectNode) request.get("params")).put("taskId", task.taskId());
		return this.flow.forward(context, task.member(), request, accepts, response, dialect);
	}

	/**
	 * The {@code Mcp-Param-} headers must match the arguments the call is routed on, as
	 * the tool's schema marks them.
	 */
	private void checkParameterHeaders(StatelessContext context, ObjectNode request, HttpServletRequest httpRequest) {
		JsonNode params = request.path("params");
		String name = params.path("name").asString("");
		this.flow.tool(context, name)
			.flatMap((tool) -> ParameterHeaders.mismatch(tool, params.path("arguments"), httpRequest::getHeader))
			.ifPresent((problem) -> {
				throw new McpException(HttpStatus.BAD_REQUEST,
						new JsonRpcError(JsonRpc.HEADER_MISMATCH, "Header mismatch: " + problem), request.get("id"));
			});
	}

	/**
	 * A page of a merged list with its caching hints; a list no member offers is an
	 * unknown method, as for a server without that capability.
	 */
	private ObjectNode list(StatelessContext context, CatalogKind kind, ObjectNode params) {
		String capability = (kind == CatalogKind.RESOURCE_TEMPLATES) ? "resources" : kind.field();
		if (!this.discovery.offers(context, capability)) {
			throw new JsonRpcError(JsonRpc.METHOD_NOT_FOUND, "No member offers " + capability);
		}
		ObjectNode page = this.flow.page(context, kind, params);
		page.put("resultType", "complete");
		return this.flow.cacheHints(context, kind).writeTo(page);
	}

}
