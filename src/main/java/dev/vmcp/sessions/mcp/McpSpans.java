package dev.vmcp.sessions.mcp;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.audit.AuditOutcome;
import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendDefinition;
import dev.vmcp.sessions.tracing.OpenSpan;
import dev.vmcp.sessions.tracing.Traces;

/**
 * The spans of MCP requests, named and described as the OpenTelemetry semantic
 * conventions for MCP say: a server span per client request, a client span per request to
 * a member, each named {@code {mcp.method.name} {target}} (the tool or prompt name). They
 * never hold a session id, arguments or results. A member is told the gateway's span as
 * its parent in {@code params._meta} too (SEP-414): always for a 2026-07-28 member, and
 * for a 2025 member when the client put trace context there. Thread-safe.
 */
public final class McpSpans {

	static final String METHOD = "mcp.method.name";

	static final String REQUEST_ID = "jsonrpc.request.id";

	public static final String PROTOCOL_VERSION = "mcp.protocol.version";

	static final String TOOL_NAME = "gen_ai.tool.name";

	static final String PROMPT_NAME = "gen_ai.prompt.name";

	static final String OPERATION_NAME = "gen_ai.operation.name";

	static final String RESOURCE_URI = "mcp.resource.uri";

	static final String STATUS_CODE = "rpc.response.status_code";

	private static final String TRACESTATE = "tracestate";

	private final Traces traces;

	McpSpans(Traces traces) {
		this.traces = traces;
	}

	/**
	 * The server span of a client request, current until closed. Its parent is the
	 * context the client put in {@code params._meta} when there is one (the HTTP
	 * request's span is then linked), otherwise the HTTP request's span, which continues
	 * the {@code traceparent} header.
	 */
	OpenSpan server(ClientContext context, ObjectNode request) {
		return server(request, context.protocolVersion());
	}

	/**
	 * The server span of a client request that has no context yet ({@code initialize}),
	 * as {@link #server(ClientContext, ObjectNode)}.
	 * @param protocolVersion the revision the client speaks, null when not known yet
	 */
	public OpenSpan server(ObjectNode request, @Nullable String protocolVersion) {
		if (!this.traces.isOn()) {
			return OpenSpan.NONE;
		}
		Map<String, String> attributes = attributes(request, protocolVersion);
		attributes.put("network.transport", "tcp");
		attributes.put("network.protocol.name", "http");
		ObjectNode meta = StatelessMeta.of(request);
		return this.traces.server(name(request), (field) -> text(meta.get(field)), attributes);
	}

	/** Records how a server span's request ended. */
	static void end(OpenSpan span, AuditOutcome outcome) {
		if (outcome instanceof AuditOutcome.Error(int code)) {
			failed(span, code);
		}
		span.close();
	}

	/**
	 * Marks a span failed by a JSON-RPC error answer: its code as {@code error.type} and
	 * {@code rpc.response.status_code}, and an error status.
	 */
	static void failed(OpenSpan span, int code) {
		span.tag(STATUS_CODE, String.valueOf(code));
		span.fail(String.valueOf(code), "JSON-RPC error " + code);
	}

	/** The client span of a request to a member, as the member gets it. */
	OpenSpan memberCall(BackendDefinition backend, BackendConnection connection, ObjectNode request) {
		if (!this.traces.isOn()) {
			return OpenSpan.NONE;
		}
		Map<String, String> attributes = attributes(request, connection.protocolVersion());
		URI url = backend.url();
		if (url.getHost() != null) {
			attributes.put("server.address", url.getHost());
			attributes.put("server.port", String.valueOf(portOf(url)));
		}
		return this.traces.client(name(request), attributes);
	}

	/**
	 * The request with the current span (the member call's) as the parent in
	 * {@code params._meta}, replacing what the client wrote there: for every request to a
	 * stateless member, and to a 2025 member when the client put trace context there.
	 * Unchanged when tracing is off.
	 */
	ObjectNode withTraceContext(ObjectNode request, boolean stateless) {
		if (!this.traces.isOn() || (!stateless && !StatelessMeta.of(request).has(Traces.TRACEPARENT))) {
			return request;
		}
		ObjectNode sent = request.deepCopy();
		ObjectNode params = (sent.get("params") instanceof ObjectNode object) ? object : sent.putObject("params");
		ObjectNode meta = (params.get("_meta") instanceof ObjectNode object) ? object : params.putObject("_meta");
		meta.remove(TRACESTATE);
		this.traces.injectCurrent(meta::put);
		return sent;
	}

	private static Map<String, String> attributes(ObjectNode request, @Nullable String protocolVersion) {
		Map<String, String> attributes = new LinkedHashMap<>();
		String method = request.path("method").asString("");
		attributes.put(METHOD, method);
		String id = text(request.get("id"));
		if (id != null) {
			attributes.put(REQUEST_ID, id);
		}
		if (protocolVersion != null) {
			attributes.put(PROTOCOL_VERSION, protocolVersion);
		}
		JsonNode params = request.path("params");
		switch (method) {
			case "tools/call" -> {
				putText(attributes, TOOL_NAME, params.get("name"));
				attributes.put(OPERATION_NAME, "execute_tool");
			}
			case "prompts/get" -> putText(attributes, PROMPT_NAME, params.get("name"));
			case "resources/read", "resources/subscribe", "resources/unsubscribe" ->
				putText(attributes, RESOURCE_URI, params.get("uri"));
			default -> {
			}
		}
		return attributes;
	}

	/** {@code {mcp.method.name} {target}}: the tool or prompt, never a resource URI. */
	private static String name(ObjectNode request) {
		String method = request.path("method").asString("");
		JsonNode target = switch (method) {
			case "tools/call", "prompts/get" -> request.path("params").get("name");
			default -> null;
		};
		String name = text(target);
		return (name != null) ? method + " " + name : method;
	}

	private static void putText(Map<String, String> attributes, String key, @Nullable JsonNode value) {
		String text = text(value);
		if (text != null) {
			attributes.put(key, text);
		}
	}

	/** A string's value, a number's digits; null for anything else. */
	private static @Nullable String text(@Nullable JsonNode value) {
		if (value == null || !(value.isString() || value.isNumber())) {
			return null;
		}
		return value.isString() ? value.asString() : value.toString();
	}

	private static int portOf(URI url) {
		if (url.getPort() != -1) {
			return url.getPort();
		}
		return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
	}

}
