package dev.vmcp.sessions.mcp.v2026;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.backend.MemberRevision;
import dev.vmcp.sessions.mcp.CatalogScope;
import dev.vmcp.sessions.mcp.ClientContext;
import dev.vmcp.sessions.mcp.StatelessMeta;
import dev.vmcp.sessions.session.Caller;

/**
 * What one 2026-07-28 request works on, made from the request alone: its caller, and the
 * stateless members with what this pod learned of them. Nothing is read from the store.
 */
final class StatelessContext implements ClientContext {

	private final Caller caller;

	private final StatelessRequest request;

	private final StatelessMembers members;

	private final Map<String, MemberRevision> reached;

	StatelessContext(Caller caller, StatelessRequest request, StatelessMembers members) {
		this.caller = caller;
		this.request = request;
		this.members = members;
		this.reached = members.current();
	}

	@Override
	public Caller caller() {
		return this.caller;
	}

	StatelessRequest request() {
		return this.request;
	}

	/** The members reached, with what each said of itself in {@code server/discover}. */
	Map<String, MemberRevision> revisions() {
		return this.reached;
	}

	@Override
	public CatalogScope catalogScope() {
		return CatalogScope.STATELESS;
	}

	@Override
	public List<String> members() {
		return List.copyOf(this.reached.keySet());
	}

	@Override
	public BackendConnection connection(String member) {
		MemberRevision revision = this.reached.get(member);
		if (revision == null) {
			throw new BackendUnavailableException("Backend " + member + " is not reachable without a session");
		}
		return BackendConnection.stateless(member, Instant.EPOCH, revision.discovered());
	}

	/** The member answered unlike a stateless server: learn its revision again. */
	@Override
	public BackendConnection reconnect(String member, BackendConnection lost) {
		MemberRevision revision = this.members.relearn(member);
		if (!revision.stateless()) {
			throw new BackendUnavailableException(
					"Backend " + member + " no longer speaks 2026-07-28 and is not reachable without a session");
		}
		return BackendConnection.stateless(member, Instant.EPOCH, revision.discovered());
	}

	/**
	 * The client's own version, capabilities and identity, as its request carries them.
	 */
	@Override
	public ObjectNode statelessMeta() {
		ObjectNode meta = StatelessMeta.of(this.request.message());
		ObjectNode needed = meta.objectNode();
		for (String key : List.of(StatelessMeta.PROTOCOL_VERSION, StatelessMeta.CLIENT_CAPABILITIES,
				StatelessMeta.CLIENT_INFO, StatelessMeta.LOG_LEVEL)) {
			if (meta.has(key)) {
				needed.set(key, meta.get(key));
			}
		}
		return needed;
	}

	@Override
	public String shortId() {
		String owner = this.caller.owner();
		return "a 2026-07-28 request of " + owner.substring(0, Math.min(8, owner.length())) + "…";
	}

}
