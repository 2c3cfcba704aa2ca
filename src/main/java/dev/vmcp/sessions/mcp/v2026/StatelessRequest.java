package dev.vmcp.sessions.mcp.v2026;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.ProtocolVersions;
import dev.vmcp.sessions.backend.StatelessHeaders;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.McpEndpoint;
import dev.vmcp.sessions.mcp.McpException;
import dev.vmcp.sessions.mcp.StatelessMeta;

/**
 * A 2026-07-28 message whose metadata has been checked, in the order the specification's
 * errors need: the required {@code _meta} fields (-32602), then the headers against the
 * body (-32020), then the version itself (-32022). Every refusal is a 400 that names the
 * request's id.
 *
 * @param message the message as the client sent it
 * @param meta its {@code params._meta}
 */
record StatelessRequest(ObjectNode message, ObjectNode meta) {

	/**
	 * Whether a POST speaks 2026-07-28: its {@code _meta} names a protocol version, or
	 * its header names 2026-07-28 (then a missing {@code _meta} is that revision's error,
	 * not a 2025 one).
	 */
	static boolean claims(HttpServletRequest request, ObjectNode message) {
		return StatelessMeta.of(message).has(StatelessMeta.PROTOCOL_VERSION)
				|| ProtocolVersions.isStateless(strip(request.getHeader(McpEndpoint.PROTOCOL_HEADER)));
	}

	/**
	 * @throws McpException when the metadata is missing, malformed, does not match the
	 * headers, or names a version the gateway does not serve this way
	 */
	static StatelessRequest check(HttpServletRequest request, ObjectNode message) {
		JsonNode id = message.get("id");
		JsonNode metaNode = message.path("params").get("_meta");
		if (!(metaNode instanceof ObjectNode meta) || !meta.path(StatelessMeta.PROTOCOL_VERSION).isString()
				|| !meta.path(StatelessMeta.CLIENT_CAPABILITIES).isObject()) {
			throw refusal(id, JsonRpc.INVALID_PARAMS, "Invalid params: _meta must carry "
					+ StatelessMeta.PROTOCOL_VERSION + " and " + StatelessMeta.CLIENT_CAPABILITIES, null);
		}
		String version = meta.get(StatelessMeta.PROTOCOL_VERSION).asString();
		String header = strip(request.getHeader(McpEndpoint.PROTOCOL_HEADER));
		if (!version.equals(header)) {
			throw mismatch(id, McpEndpoint.PROTOCOL_HEADER, header, version);
		}
		if (!ProtocolVersions.isStateless(version)) {
			ObjectNode data = JsonRpc.objectNode();
			ProtocolVersions.ALL.forEach(data.putArray("supported")::add);
			data.put("requested", version);
			throw refusal(id, JsonRpc.UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version: " + version, data);
		}
		if (meta.has(StatelessMeta.LOG_LEVEL)
				&& LogLevel.named(meta.path(StatelessMeta.LOG_LEVEL).asString("")).isEmpty()) {
			throw refusal(id, JsonRpc.INVALID_PARAMS, "Invalid params: " + StatelessMeta.LOG_LEVEL
					+ " must be one of debug, info, notice, warning, error, critical, alert, emergency", null);
		}
		if (JsonRpc.isRequest(message)) {
			checkMirroredHeaders(request, message);
		}
		return new StatelessRequest(message, meta);
	}

	/** {@code Mcp-Method} always, {@code Mcp-Name} where the method names something. */
	private static void checkMirroredHeaders(HttpServletRequest request, ObjectNode message) {
		JsonNode id = message.get("id");
		String method = message.path("method").asString("");
		String methodHeader = strip(request.getHeader(StatelessHeaders.METHOD));
		if (!method.equals(methodHeader)) {
			throw mismatch(id, StatelessHeaders.METHOD, methodHeader, method);
		}
		String name = StatelessHeaders.name(message).orElse(null);
		if (name == null) {
			return;
		}
		String nameHeader = request.getHeader(StatelessHeaders.NAME);
		String decoded;
		try {
			decoded = (nameHeader != null) ? StatelessHeaders.decode(nameHeader.strip()) : null;
		}
		catch (IllegalArgumentException ex) {
			throw refusal(id, JsonRpc.HEADER_MISMATCH, "Header mismatch: Mcp-Name is not valid Base64", null);
		}
		if (!name.equals(decoded)) {
			throw mismatch(id, StatelessHeaders.NAME, nameHeader, name);
		}
	}

	private static McpException mismatch(@Nullable JsonNode id, String header, @Nullable String value, String body) {
		String shown = (value != null) ? "'" + value + "'" : "missing";
		return refusal(id, JsonRpc.HEADER_MISMATCH,
				"Header mismatch: " + header + " header value " + shown + " does not match body value '" + body + "'",
				null);
	}

	private static McpException refusal(@Nullable JsonNode id, int code, String message, @Nullable JsonNode data) {
		return new McpException(HttpStatus.BAD_REQUEST, new JsonRpcError(code, message, data), id);
	}

	private static @Nullable String strip(@Nullable String header) {
		return (header != null) ? header.strip() : null;
	}

	/**
	 * The level from which the client wants log messages, none when it wants none
	 * ({@code _meta} names no level).
	 */
	Optional<LogLevel> logLevel() {
		return LogLevel.named(this.meta.path(StatelessMeta.LOG_LEVEL).asString(""));
	}

}
