package dev.vmcp.sessions.mcp.v2025;

import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.backend.ProtocolVersions;
import dev.vmcp.sessions.session.Abbreviated;
import dev.vmcp.sessions.session.ActiveSession;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionService;
import dev.vmcp.sessions.mcp.CatalogScope;
import dev.vmcp.sessions.mcp.ClientContext;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.StatelessMeta;

/**
 * The session one 2025 client request works on, and who sent it. A member that lost its
 * backend session is reconnected mid-request, so the session in use may be replaced.
 * Thread-safe.
 */
public final class SessionContext implements ClientContext {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Caller caller;

	private final SessionService sessions;

	private volatile ActiveSession session;

	public SessionContext(Caller caller, ActiveSession session, SessionService sessions) {
		this.caller = caller;
		this.session = session;
		this.sessions = sessions;
	}

	@Override
	public Caller caller() {
		return this.caller;
	}

	/** The revision negotiated at {@code initialize}. */
	@Override
	public String protocolVersion() {
		return this.session.record().client().protocolVersion();
	}

	public ActiveSession session() {
		return this.session;
	}

	public SessionId id() {
		return this.session.record().id();
	}

	@Override
	public CatalogScope catalogScope() {
		return CatalogScope.of(id());
	}

	@Override
	public List<String> members() {
		return this.session.record().backends();
	}

	@Override
	public BackendConnection connection(String member) {
		return this.session.live()
			.connection(member)
			.filter((connection) -> !connection.isClosed())
			.orElseThrow(() -> new BackendUnavailableException("Backend " + member + " is not connected"));
	}

	@Override
	public BackendConnection reconnect(String member, BackendConnection lost) {
		this.session = this.sessions.reconnect(this.caller, id(), member, lost.backendSessionId());
		return connection(member);
	}

	/**
	 * What the client declared at {@code initialize}, in the 2026-07-28 form, with the
	 * gateway as the client that speaks that revision.
	 */
	@Override
	public ObjectNode statelessMeta() {
		ObjectNode meta = JsonRpc.objectNode();
		meta.put(StatelessMeta.PROTOCOL_VERSION, ProtocolVersions.STATELESS);
		meta.set(StatelessMeta.CLIENT_CAPABILITIES, clientCapabilities());
		return meta;
	}

	/** What the client declared it can do at {@code initialize}. */
	ObjectNode clientCapabilities() {
		JsonNode capabilities = JSON.readTree(this.session.record().client().capabilities());
		return (capabilities instanceof ObjectNode object) ? object : JsonRpc.objectNode();
	}

	/** The first characters of the session id: logs never show a whole one. */
	@Override
	public String shortId() {
		return Abbreviated.of(id());
	}

}
