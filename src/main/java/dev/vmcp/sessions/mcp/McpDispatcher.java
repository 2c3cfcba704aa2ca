package dev.vmcp.sessions.mcp;

import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.mcp.MemberIds.MemberRef;

/**
 * Handles one client message on an established session: answers what the gateway answers
 * itself, merges lists, routes the rest to its member and relays the answer, passes the
 * client's answers to relayed requests back to the member that asked.
 */
final class McpDispatcher {

	private static final Logger logger = LoggerFactory.getLogger(McpDispatcher.class);

	private final Members members;

	private final McpSignals signals;

	private final ListPages lists;

	private final Router router;

	private final MemberIds ids;

	private final MemberMessages memberMessages;

	private final JsonMapper json;

	private final McpMetrics metrics;

	McpDispatcher(Members members, Catalogs catalogs, McpSignals signals, MemberIds ids, MemberMessages memberMessages,
			JsonMapper json, McpMetrics metrics) {
		this.members = members;
		this.signals = signals;
		this.lists = new ListPages(catalogs, ids);
		this.router = new Router(catalogs);
		this.ids = ids;
		this.memberMessages = memberMessages;
		this.json = json;
		this.metrics = metrics;
	}

	/** A request: answered on {@code response}, as JSON or as an event stream. */
	void request(SessionContext context, ObjectNode request, ClientAccepts accepts, HttpServletResponse response) {
		String method = request.path("method").asString("");
		JsonNode id = request.get("id");
		long start = System.nanoTime();
		String member = McpMetrics.GATEWAY;
		String outcome = McpMetrics.OK;
		ClientResponse answer = new ClientResponse(response, accepts, this.json, this.memberMessages, context,
				McpMetrics.GATEWAY);
		try {
			member = handle(context, method, request, accepts, response, answer);
		}
		catch (JsonRpcError ex) {
			outcome = String.valueOf(ex.code());
			answer.answer(JsonRpc.error(id, ex.code(), ex.getMessage()));
		}
		catch (MemberFailure ex) {
			member = ex.member;
			// Lists fetched again, on every pod, leave the failing member out until it is
			// back.
			this.signals.catalogChanged(context.id());
			outcome = String.valueOf(JsonRpc.BACKEND_UNAVAILABLE);
			logger.warn("{} of session {} failed on backend {}: {}", method, context.shortId(), member,
					ex.getCause().getMessage());
			ex.response.answer(JsonRpc.error(id, JsonRpc.BACKEND_UNAVAILABLE, ex.getCause().getMessage()));
		}
		finally {
			this.metrics.request(method, member, outcome, Duration.ofNanos(System.nanoTime() - start));
		}
	}

	/** A notification from the client. */
	void notification(SessionContext context, JsonNode notification, String text) {
		String method = notification.path("method").asString("");
		if (method.equals("notifications/initialized")) {
			return;
		}
		// Cancellations reach the member running the request (whichever it is, the
		// others ignore an id they do not know); roots and other changes concern all.
		for (String member : context.session().record().backends()) {
			postQuietly(context, member, text, method);
		}
	}

	/** The client's answer to a request a member sent it, back to that member. */
	void response(SessionContext context, ObjectNode response) {
		Optional<MemberRef<JsonNode>> origin = this.ids.fromRelayedRequestId(response.get("id"));
		if (origin.isEmpty() || !context.session().record().backends().contains(origin.get().member())) {
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
	private String handle(SessionContext context, String method, ObjectNode request, ClientAccepts accepts,
			HttpServletResponse response, ClientResponse gatewayAnswer) {
		JsonNode id = request.get("id");
		ObjectNode params = (request.get("params") instanceof ObjectNode object) ? object : JsonRpc.objectNode();
		switch (method) {
			case "ping" -> gatewayAnswer.answer(JsonRpc.emptyResult(id));
			case "tools/list", "prompts/list", "resources/list", "resources/templates/list" -> gatewayAnswer
				.answer(JsonRpc.result(id, this.lists.page(context, CatalogKind.forMethod(method), cursor(params))));
			case "tools/call", "prompts/get", "resources/read", "resources/subscribe", "resources/unsubscribe",
					"completion/complete" -> {
				Router.Route route = this.router.route(context, method, params);
				request.set("params", route.params());
				forward(context, route.member(), request, accepts, response);
				return route.member();
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

	private void forward(SessionContext context, String member, ObjectNode request, ClientAccepts accepts,
			HttpServletResponse response) {
		ClientResponse relay = new ClientResponse(response, accepts, this.json, this.memberMessages, context, member);
		try {
			this.members.forward(context, member, this.json.writeValueAsString(request), request.get("id"), relay);
		}
		catch (BackendUnavailableException ex) {
			throw new MemberFailure(member, relay, ex);
		}
	}

	private void setLevelEverywhere(SessionContext context, ObjectNode params) {
		for (String member : context.session().record().backends()) {
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

	private static @Nullable String cursor(ObjectNode params) {
		JsonNode cursor = params.get("cursor");
		return (cursor != null && cursor.isString()) ? cursor.asString() : null;
	}

	/** A member failed a routed request; the client gets a JSON-RPC error for it. */
	private static final class MemberFailure extends RuntimeException {

		private final String member;

		private final transient ClientResponse response;

		MemberFailure(String member, ClientResponse response, BackendUnavailableException cause) {
			super(cause);
			this.member = member;
			this.response = response;
		}

	}

}
