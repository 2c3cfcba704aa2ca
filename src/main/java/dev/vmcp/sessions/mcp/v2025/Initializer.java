package dev.vmcp.sessions.mcp.v2025;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.ClientProfile;
import dev.vmcp.sessions.backend.ProtocolVersions;
import dev.vmcp.sessions.session.ActiveSession;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.SessionService;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.JsonRpcError;
import dev.vmcp.sessions.mcp.LegacyTasks;
import dev.vmcp.sessions.mcp.MemberDescriptions;

/**
 * Answers {@code initialize}: creates the session through the core (bound to the caller,
 * every configured backend a member, initialized in parallel on the client's behalf with
 * what the client declared) and presents the members as one server: the negotiated
 * revision, the gateway's own {@code serverInfo}, the union of the members' capabilities
 * and their instructions combined.
 */
final class Initializer {

	private final SessionService sessions;

	private final JsonMapper json;

	private final String serverVersion;

	Initializer(SessionService sessions, JsonMapper json, String serverVersion) {
		this.sessions = sessions;
		this.json = json;
		this.serverVersion = serverVersion;
	}

	/** The new session and the initialize result for the client. */
	Initialized initialize(Caller caller, JsonNode params) {
		JsonNode requested = params.get("protocolVersion");
		if (requested == null || !requested.isString()) {
			throw new JsonRpcError(JsonRpc.INVALID_PARAMS, "protocolVersion is required");
		}
		JsonNode capabilities = params.path("capabilities");
		String negotiated = ProtocolVersions.negotiate(requested.asString());
		ClientProfile client = new ClientProfile(negotiated,
				this.json.writeValueAsString(capabilities.isObject() ? capabilities : JsonRpc.objectNode()));
		ActiveSession session = this.sessions.open(caller, Optional.empty(), Map.of(), client);
		return new Initialized(session, result(negotiated, session));
	}

	private ObjectNode result(String negotiated, ActiveSession session) {
		Map<String, JsonNode> memberResults = new LinkedHashMap<>();
		List<JsonNode> statelessResults = new ArrayList<>();
		for (String member : session.record().backends()) {
			session.live()
				.connection(member)
				.ifPresent((connection) -> connection.initializeResult().ifPresent((answer) -> {
					memberResults.put(member, answer);
					if (connection.isStateless()) {
						statelessResults.add(answer);
					}
				}));
		}
		ObjectNode result = JsonRpc.objectNode();
		result.put("protocolVersion", negotiated);
		ObjectNode capabilities = MemberDescriptions.mergedCapabilities(List.copyOf(memberResults.values()));
		LegacyTasks.declareFor2025(capabilities, statelessResults);
		result.set("capabilities", capabilities);
		ObjectNode serverInfo = result.putObject("serverInfo");
		serverInfo.put("name", "vmcp-sessions");
		serverInfo.put("version", this.serverVersion);
		MemberDescriptions.instructions(memberResults).ifPresent((text) -> result.put("instructions", text));
		return result;
	}

	/**
	 * A created session and the client's initialize result.
	 *
	 * @param session the session
	 * @param result the initialize result
	 */
	record Initialized(ActiveSession session, ObjectNode result) {
	}

}
