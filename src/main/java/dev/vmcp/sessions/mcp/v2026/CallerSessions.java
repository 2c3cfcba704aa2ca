package dev.vmcp.sessions.mcp.v2026;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.ClientProfile;
import dev.vmcp.sessions.backend.ProtocolVersions;
import dev.vmcp.sessions.security.OwnerBindings;
import dev.vmcp.sessions.session.ActiveSession;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionNotFoundException;
import dev.vmcp.sessions.session.SessionService;

/**
 * The sessions through which 2026-07-28 clients reach 2025 members: one per caller,
 * member and declared client capabilities. Its id is derived from those three under the
 * secret every pod shares, so every pod finds the same one without asking another, and
 * the store's create-if-absent makes one pod its creator. Otherwise it is a session like
 * any: restored with its hint on any pod, ended by its idle TTL, counted in the caller's
 * quota. One that was terminated (through the REST API) never comes back; the next
 * generation of the id takes its place.
 */
final class CallerSessions {

	private static final String PURPOSE = "mcp-caller-session";

	private static final int GENERATIONS = 4;

	private final SessionService sessions;

	private final OwnerBindings signatures;

	private final JsonMapper json;

	CallerSessions(SessionService sessions, OwnerBindings signatures, JsonMapper json) {
		this.sessions = sessions;
		this.signatures = signatures;
		this.json = json;
	}

	/** The caller session reaching {@code member} for this caller and capabilities. */
	ActiveSession of(Caller caller, String member, JsonNode capabilities) {
		String declared = this.json.writeValueAsString(canonical(capabilities));
		ClientProfile client = new ClientProfile(ProtocolVersions.LATEST, declared);
		SessionNotFoundException terminated = null;
		for (int generation = 0; generation < GENERATIONS; generation++) {
			try {
				return this.sessions.useOrOpen(caller, id(caller, member, declared, generation), List.of(member),
						client);
			}
			catch (SessionNotFoundException ex) {
				terminated = ex;
			}
		}
		throw Optional.ofNullable(terminated).orElseThrow();
	}

	/** Names one caller's view of the members, for its catalogs. */
	String viewKey(Caller caller, JsonNode capabilities) {
		return this.signatures.sign(PURPOSE + "-view",
				caller.owner() + '\0' + this.json.writeValueAsString(canonical(capabilities)));
	}

	SessionId id(Caller caller, String member, String declared, int generation) {
		return new SessionId("cs" + generation + "-"
				+ this.signatures.sign(PURPOSE, caller.owner() + '\0' + member + '\0' + declared));
	}

	/** The same capabilities written the same way, whatever order the client used. */
	private static JsonNode canonical(JsonNode node) {
		if (node instanceof ObjectNode object) {
			List<String> names = new ArrayList<>(object.propertyNames());
			names.sort(null);
			ObjectNode sorted = object.objectNode();
			names.forEach((name) -> sorted.set(name, canonical(object.get(name))));
			return sorted;
		}
		return node;
	}

}
