package dev.vmcp.sessions.mcp.v2025;

import java.util.Optional;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.mcp.MemberIds.MemberRef;
import dev.vmcp.sessions.mcp.CatalogKind;
import dev.vmcp.sessions.mcp.ClientAccepts;
import dev.vmcp.sessions.mcp.ClientResponse;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.McpMetrics;
import dev.vmcp.sessions.mcp.MemberIds;
import dev.vmcp.sessions.mcp.Members;
import dev.vmcp.sessions.mcp.RequestFlow;

/**
 * Handles one client message on an established 2025 session: answers what the gateway
 * answers itself, merges lists, routes the rest to its member and relays the answer,
 * passes the client's answers to relayed requests back to the member that asked; task
 * requests are {@link SessionTasks}'s.
 */
final class McpDispatcher {

	private static final Logger logger = LoggerFactory.getLogger(McpDispatcher.class);

	private final Members members;

	private final RequestFlow flow;

	private final MemberIds ids;

	private final MemberMessages memberMessages;

	private final MemberInputs inputs;

	private final SessionTasks tasks;

	private final JsonMapper json;

	private final ResourceSubscriptions subscriptions;

	McpDispatcher(Members members, RequestFlow flow, MemberIds ids, MemberMessages memberMessages, MemberInputs inputs,
			SessionTasks tasks, JsonMapper json, ResourceSubscriptions subscriptions) {
		this.subscriptions = subscriptions;
		this.members = members;
		this.tasks = tasks;
		this.flow = flow;
		this.ids = ids;
		this.memberMessages = memberMessages;
		this.inputs = inputs;
		this.json = json;
	}

	/** A request: answered on {@code response}, as JSON or as an event stream. */
	void request(SessionContext context, ObjectNode request, ClientAccepts accepts, HttpServletResponse response) {
		InputCall call = this.inputs.call(request, this.memberMessages.dialect(context));
		this.flow.answer(context, request, accepts, response, call,
				(method, message, gatewayAnswer) -> handle(context, method, accepts, response, call, gatewayAnswer));
	}

	/** A notification from the client. */
	void notification(SessionContext context, JsonNode notification, String text) {
		String method = notification.path("method").asString("");
		if (method.equals("notifications/initialized")) {
			return;
		}
		// Cancellations reach the member running the request (whichever it is, the
		// others ignore an id they do not know); roots and other changes concern all.
		for (String member : context.members()) {
			postQuietly(context, member, text, method);
		}
	}

	/**
	 * The client's answer to a request a member sent it, back to that member; or to a
	 * question a member asked during a call, to the pod that holds the call.
	 */
	void response(SessionContext context, ObjectNode response) {
		if (this.inputs.deliver(context, response)) {
			return;
		}
		Optional<MemberRef<JsonNode>> origin = this.ids.fromRelayedRequestId(response.get("id"));
		if (origin.isEmpty() || !context.members().contains(origin.get().member())) {
			logger.debug("Answer to an unknown request in session {} dropped", context.shortId());
			return;
		}
		ObjectNode forMember = response.deepCopy();
		forMember.set("id", origin.get().value());
		postQuietly(context, origin.get().member(), this.json.writeValueAsString(forMember), "response");
	}

	/**
	 * @return the member the request went to, or the gateway
	 */
	private String handle(SessionContext context, String method, ClientAccepts accepts, HttpServletResponse response,
			InputCall call, ClientResponse gatewayAnswer) {
		ObjectNode request = call.request();
		JsonNode id = request.get("id");
		ObjectNode params = (request.get("params") instanceof ObjectNode object) ? object : JsonRpc.objectNode();
		switch (method) {
			case "ping" -> gatewayAnswer.answer(JsonRpc.emptyResult(id));
			case "tools/list", "prompts/list", "resources/list", "resources/templates/list" -> gatewayAnswer
				.answer(JsonRpc.result(id, this.flow.page(context, CatalogKind.forMethod(method), params)));
			case "tools/call", "prompts/get", "resources/read" -> {
				return this.inputs.route(context, call, accepts, response);
			}
			case "resources/subscribe", "resources/unsubscribe" -> {
				String member = this.flow.memberFor(context, request);
				if (!this.subscriptions.answers(context, member)) {
					return this.flow.route(context, request, accepts, response, call);
				}
				this.subscriptions.change(context, member, method, params);
				gatewayAnswer.answer(JsonRpc.emptyResult(id));
			}
			case "completion/complete" -> {
				return this.flow.route(context, request, accepts, response, call);
			}
			case "tasks/get", "tasks/cancel", "tasks/result", "tasks/list" -> {
				return this.tasks.handle(context, method, request, accepts, response, call, gatewayAnswer);
			}
			case "logging/setLevel" -> {
				setLevelEverywhere(context, params);
				gatewayAnswer.answer(JsonRpc.emptyResult(id));
			}
			case "initialize" -> throw new JsonRpcError(JsonRpc.INVALID_REQUEST, "The session is initialized already");
			default -> throw new JsonRpcError(JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method);
		}
		return McpMetrics.GATEWAY;
	}

	private void setLevelEverywhere(SessionContext context, ObjectNode params) {
		for (String member : context.members()) {
			if (context.session().live().connection(member).filter(BackendConnection::isStateless).isPresent()) {
				// 2026-07-28 has no logging/setLevel (a level travels with each request).
				continue;
			}
			try {
				this.members.call(context, member, "logging/setLevel", params);
			}
			catch (BackendUnavailableException ex) {
				logger.warn("logging/setLevel of session {} did not reach backend {}: {}", context.shortId(), member,
						ex.getMessage());
			}
		}
	}

	private void postQuietly(SessionContext context, String member, String message, String what) {
		Optional<BackendConnection> connected = context.session().live().connection(member);
		if (connected.isEmpty()) {
			return;
		}
		try {
			this.members.post(context, member, message);
		}
		catch (BackendUnavailableException ex) {
			logger.warn("{} of session {} did not reach backend {}: {}", what, context.shortId(), member,
					ex.getMessage());
		}
	}

}
