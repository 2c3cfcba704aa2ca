package dev.vmcp.sessions.mcp;

import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.StatelessHeaders;

/**
 * Writes a request for the member it goes to, in that member's revision: a 2026-07-28
 * member gets the client's version and capabilities in {@code _meta} and the headers
 * mirrored from the body as sent (after any renaming), and declares the tasks extension
 * for a 2025 client's task request; a 2025 member gets no key of the 2026-07-28 revision.
 * Everything else passes as the client wrote it.
 */
final class MemberRequests {

	private final JsonMapper json;

	MemberRequests(JsonMapper json) {
		this.json = json;
	}

	Hop forMember(ClientContext context, BackendConnection connection, ObjectNode request) {
		if (connection.isStateless()) {
			ObjectNode sent = withStatelessMeta(context, LegacyTasks.forStatelessMember(context, request));
			return new Hop(this.json.writeValueAsString(sent), StatelessHeaders.of(sent));
		}
		if (StatelessMeta.hasReservedKeys(request)) {
			ObjectNode sent = request.deepCopy();
			StatelessMeta.removeReservedKeys(sent);
			return new Hop(this.json.writeValueAsString(sent), Map.of());
		}
		return new Hop(this.json.writeValueAsString(request), Map.of());
	}

	private static ObjectNode withStatelessMeta(ClientContext context, ObjectNode request) {
		ObjectNode meta = context.statelessMeta();
		ObjectNode present = StatelessMeta.of(request);
		boolean complete = true;
		for (String key : meta.propertyNames()) {
			complete &= present.has(key);
		}
		if (complete) {
			return request;
		}
		ObjectNode sent = request.deepCopy();
		ObjectNode params = (sent.get("params") instanceof ObjectNode object) ? object : sent.putObject("params");
		ObjectNode sentMeta = (params.get("_meta") instanceof ObjectNode object) ? object : params.putObject("_meta");
		meta.properties().forEach((entry) -> {
			if (!sentMeta.has(entry.getKey())) {
				sentMeta.set(entry.getKey(), entry.getValue());
			}
		});
		return sent;
	}

	/**
	 * One request as it goes to one member.
	 *
	 * @param body the JSON text
	 * @param headers the headers of its own (2026-07-28 members only)
	 */
	record Hop(String body, Map<String, String> headers) {
	}

}
