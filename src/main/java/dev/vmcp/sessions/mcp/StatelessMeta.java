package dev.vmcp.sessions.mcp;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code _meta} keys of 2026-07-28 requests. Keys under the reserved
 * {@code io.modelcontextprotocol/} prefix belong to that revision: a 2025 member never
 * sees them, since some 2025 servers refuse a request that carries them.
 */
public final class StatelessMeta {

	public static final String PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";

	public static final String CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";

	public static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";

	public static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";

	public static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";

	public static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

	private static final String RESERVED_PREFIX = "io.modelcontextprotocol/";

	private StatelessMeta() {
	}

	/** The request's {@code params._meta}, if it is an object. */
	public static ObjectNode of(JsonNode request) {
		return (request.path("params").get("_meta") instanceof ObjectNode meta) ? meta : JsonRpc.objectNode();
	}

	/** Whether the request's {@code _meta} carries a key of the 2026-07-28 revision. */
	static boolean hasReservedKeys(JsonNode request) {
		JsonNode meta = request.path("params").get("_meta");
		if (meta == null || !meta.isObject()) {
			return false;
		}
		for (String key : meta.propertyNames()) {
			if (key.startsWith(RESERVED_PREFIX)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Removes the 2026-07-28 keys from {@code params._meta}, and {@code _meta} if
	 * emptied.
	 */
	public static void removeReservedKeys(ObjectNode request) {
		if (!(request.get("params") instanceof ObjectNode params)
				|| !(params.get("_meta") instanceof ObjectNode meta)) {
			return;
		}
		List<String> reserved = new ArrayList<>();
		meta.propertyNames().forEach((key) -> {
			if (key.startsWith(RESERVED_PREFIX)) {
				reserved.add(key);
			}
		});
		meta.remove(reserved);
		if (meta.isEmpty()) {
			params.remove("_meta");
		}
	}

}
