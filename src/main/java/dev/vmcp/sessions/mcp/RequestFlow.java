package dev.vmcp.sessions.mcp;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.audit.AuditOutcome;
import dev.vmcp.sessions.audit.AuditTrail;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.session.SessionNotFoundException;
import dev.vmcp.sessions.tracing.OpenSpan;
import dev.vmcp.sessions.session.Caller;

/**
 * What answering a client request takes in every revision: the gateway's own answers and
 * errors, merged list pages, a request routed to the member that serves it and the
 * member's answer relayed, a failing member answered as a JSON-RPC error (and left out of
 * lists until it is back), and the request timed for the metrics, audited and traced.
 */
public final class RequestFlow {

	private static final Logger logger = LoggerFactory.getLogger(RequestFlow.class);

	private final Members members;

	private final McpSignals signals;

	private final Catalogs catalogs;

	private final ListPages lists;

	private final Router router;

	private final JsonMapper json;

	private final McpMetrics metrics;

	private final AuditTrail audit;

	private final McpSpans spans;

	private final Admissions admissions;

	/** The member's answer relayed for the request this thread answers, once routed. */
	private final ThreadLocal<ClientResponse> relays = new ThreadLocal<>();

	RequestFlow(Members members, Catalogs catalogs, McpSignals signals, MemberIds ids, JsonMapper json,
			McpMetrics metrics, AuditTrail audit, McpSpans spans) {
		this.members = members;
		this.signals = signals;
		this.catalogs = catalogs;
		this.lists = new ListPages(catalogs, ids);
		this.router = new Router(catalogs);
		this.json = json;
		this.metrics = metrics;
		this.admissions = new Admissions(audit);
		this.audit = audit;
		this.spans = spans;
	}

	/**
	 * What a revision's check of a request before routing it answers; a refusal is
	 * audited, as {@link #answer} audits what it routes.
	 * @see Admissions#admit
	 */
	public <T> T admit(Caller caller, ObjectNode request, Supplier<T> check) {
		return this.admissions.admit(caller, request, check);
	}

	/**
	 * Answers {@code request} on {@code response} through {@code handler}, which answers
	 * it itself or routes it.
	 */
	public void answer(ClientContext context, ObjectNode request, ClientAccepts accepts, HttpServletResponse response,
			ClientDialect dialect, Handler handler) {
		String method = request.path("method").asString("");
		JsonNode id = request.get("id");
		long start = System.nanoTime();
		AuditTrail.PendingRequest audited = this.audit.begin(context.caller(), request);
		OpenSpan span = this.spans.server(context, request);
		String member = McpMetrics.GATEWAY;
		String outcome = McpMetrics.OK;
		AuditOutcome auditOutcome = AuditOutcome.OK;
		ClientResponse answer = new ClientResponse(response, accepts, this.json, dialect, McpMetrics.GATEWAY);
		try {
			member = handler.handle(method, request, answer);
			auditOutcome = relayedOutcome();
		}
		catch (JsonRpcError ex) {
			outcome = String.valueOf(ex.code());
			auditOutcome = ex.deniedByPolicy() ? AuditOutcome.denied("hidden from the caller by vmcp.policy")
					: AuditOutcome.error(ex.code());
			answer.answer(ex.toResponse(id));
		}
		catch (MemberFailure ex) {
			member = ex.member;
			// Lists fetched again leave the failing member out until it is back.
			this.signals.catalogChanged(context.catalogScope());
			outcome = String.valueOf(JsonRpc.BACKEND_UNAVAILABLE);
			auditOutcome = AuditOutcome.error(JsonRpc.BACKEND_UNAVAILABLE);
			logger.warn("{} of {} failed on backend {}: {}", method, context.shortId(), member,
					ex.getCause().getMessage());
			ex.response.answer(JsonRpc.error(id, JsonRpc.BACKEND_UNAVAILABLE, ex.getCause().getMessage()));
		}
		catch (RuntimeException ex) {
			auditOutcome = AuditOutcome.error(codeOf(ex));
			throw ex;
		}
		finally {
			this.relays.remove();
			this.metrics.request(method, member, outcome, Duration.ofNanos(System.nanoTime() - start));
			audited.end(member.equals(McpMetrics.GATEWAY) ? null : member, auditOutcome);
			McpSpans.end(span, auditOutcome);
		}
	}

	/** A member's error relayed as it is is the request's outcome too. */
	private AuditOutcome relayedOutcome() {
		ClientResponse relay = this.relays.get();
		return (relay != null) ? relay.relayedErrorCode().map(AuditOutcome::error).orElse(AuditOutcome.OK)
				: AuditOutcome.OK;
	}

	/** The JSON-RPC code of the error answer the client gets for {@code failure}. */
	private static int codeOf(RuntimeException failure) {
		if (failure instanceof McpException refusal) {
			return refusal.code();
		}
		return (failure instanceof SessionNotFoundException) ? JsonRpc.SESSION_NOT_FOUND : JsonRpc.INTERNAL_ERROR;
	}

	/**
	 * The caching hints of the merged list of that kind, as of now: a page of it is fresh
	 * no longer than this pod keeps it.
	 */
	public CacheHints cacheHints(ClientContext context, CatalogKind kind) {
		// The page answered just before was read from a fresh catalog: this is the same
		// one.
		return this.catalogs.get(context, kind).currentHints();
	}

	/** Whether the member has a list of that kind (it offers the capability). */
	public boolean lists(ClientContext context, CatalogKind kind, String member) {
		return this.catalogs.get(context, kind).members().contains(member);
	}

	/** The definition of a tool as the client sees it, if some member has it. */
	public Optional<JsonNode> tool(ClientContext context, String name) {
		return this.catalogs.get(context, CatalogKind.TOOLS).item(name);
	}

	/** A page of a merged list, for a list request's {@code params}. */
	public ObjectNode page(ClientContext context, CatalogKind kind, ObjectNode params) {
		return this.lists.page(context, kind, cursor(params));
	}

	/**
	 * Routes a request that names a tool, prompt, resource or completion target to its
	 * member, in the member's own names, and relays the member's answer.
	 * @return the member
	 */
	public String route(ClientContext context, ObjectNode request, ClientAccepts accepts, HttpServletResponse response,
			ClientDialect dialect) {
		return route(context, request, accepts, response, dialect, null);
	}

	/**
	 * Routes as
	 * {@link #route(ClientContext, ObjectNode, ClientAccepts, HttpServletResponse, ClientDialect)}
	 * does, to {@code expectedMember} only.
	 * @param expectedMember the member the request must reach (the one that issued the
	 * state it carries), or null for any
	 * @throws JsonRpcError ({@code -32602}) when it names something of another member
	 */
	public String route(ClientContext context, ObjectNode request, ClientAccepts accepts, HttpServletResponse response,
			ClientDialect dialect, @Nullable String expectedMember) {
		Router.Route route = routeOf(context, request);
		if (expectedMember != null && !expectedMember.equals(route.member())) {
			throw new JsonRpcError(JsonRpc.INVALID_PARAMS,
					"Invalid params: requestState refused: it was issued for another member");
		}
		return forward(context, route, request,
				new ClientResponse(response, accepts, this.json, dialect, route.member()));
	}

	/**
	 * Routes a later round of a call (the same request with the client's answers) to
	 * {@code member}, the one that served the first, and relays the member's answer on
	 * {@code relay}, the client's answer begun already.
	 * @throws JsonRpcError ({@code -32602}) when the request now names something of
	 * another member (its catalog changed in between)
	 */
	public void reroute(ClientContext context, ObjectNode request, String member, ClientResponse relay) {
		Router.Route route = routeOf(context, request);
		if (!member.equals(route.member())) {
			throw new JsonRpcError(JsonRpc.INVALID_PARAMS,
					"Invalid params: it is no longer served by backend " + member + ", which asked for the input");
		}
		forward(context, route, request, relay);
	}

	/**
	 * The member a routed request goes to, as {@link #route} would find it.
	 * @throws JsonRpcError when the params name nothing a member serves
	 */
	public String memberFor(ClientContext context, ObjectNode request) {
		return routeOf(context, request.deepCopy()).member();
	}

	/** The route of a request, whose params are rewritten in the member's own names. */
	private Router.Route routeOf(ClientContext context, ObjectNode request) {
		ObjectNode params = (request.get("params") instanceof ObjectNode object) ? object : JsonRpc.objectNode();
		Router.Route route = this.router.route(context, request.path("method").asString(""), params);
		request.set("params", route.params());
		return route;
	}

	private String forward(ClientContext context, Router.Route route, ObjectNode request, ClientResponse relay) {
		Map<String, String> parameterHeaders = (route.definition() != null)
				? ParameterHeaders.of(route.definition(), route.params().path("arguments")) : Map.of();
		return forward(context, route.member(), request, relay, parameterHeaders);
	}

	/**
	 * Forwards a request to the member it names some other way (a task's), and relays the
	 * member's answer.
	 * @return the member
	 */
	public String forward(ClientContext context, String member, ObjectNode request, ClientAccepts accepts,
			HttpServletResponse response, ClientDialect dialect) {
		return forward(context, member, request, new ClientResponse(response, accepts, this.json, dialect, member),
				Map.of());
	}

	private String forward(ClientContext context, String member, ObjectNode request, ClientResponse relay,
			Map<String, String> parameterHeaders) {
		this.relays.set(relay);
		try {
			this.members.forward(context, member, request, request.get("id"), relay, parameterHeaders);
		}
		catch (BackendUnavailableException ex) {
			throw new MemberFailure(member, relay, ex);
		}
		return member;
	}

	private static @Nullable String cursor(ObjectNode params) {
		JsonNode cursor = params.get("cursor");
		return (cursor != null && cursor.isString()) ? cursor.asString() : null;
	}

	/** Answers one method of one revision. */
	@FunctionalInterface
	public interface Handler {

		/**
		 * Answers the request on {@code gatewayAnswer}, or routes it.
		 * @return the member it went to, or {@link McpMetrics#GATEWAY}
		 * @throws JsonRpcError to answer with that error
		 */
		String handle(String method, ObjectNode request, ClientResponse gatewayAnswer);

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
