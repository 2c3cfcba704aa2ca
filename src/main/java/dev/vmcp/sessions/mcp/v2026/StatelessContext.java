package dev.vmcp.sessions.mcp.v2026;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.ClientProfile;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.backend.MemberRevision;
import dev.vmcp.sessions.mcp.CatalogScope;
import dev.vmcp.sessions.mcp.ClientContext;
import dev.vmcp.sessions.mcp.StatelessMeta;
import dev.vmcp.sessions.session.ActiveSession;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.CreationRefusedException;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionService;

/**
 * What one 2026-07-28 request works on, made from the request alone: its caller, the
 * members with what this pod learned of them, and, for each 2025 member it reaches, the
 * caller's session with it, found or created on first use. A request that reaches only
 * stateless members reads nothing from the store.
 */
final class StatelessContext implements ClientContext {

	/** Names the sessions of listens in logs and in the REST API. */
	private static final String LISTEN_SESSION_PREFIX = "ls-";

	private final Caller caller;

	private final StatelessRequest request;

	private final StatelessMembers members;

	private final CallerSessions callerSessions;

	private final SessionService sessions;

	private final CallerLogLevels logLevels;

	/** The members whose log level this request has seen to, once each. */
	private final Set<String> logLevelsSet = ConcurrentHashMap.newKeySet();

	private final Map<String, MemberRevision> reached;

	private final Map<String, ActiveSession> sessionsInUse = new ConcurrentHashMap<>();

	private volatile @Nullable CatalogScope view;

	StatelessContext(Caller caller, StatelessRequest request, StatelessMembers members, CallerSessions callerSessions,
			CallerLogLevels logLevels, SessionService sessions) {
		this.logLevels = logLevels;
		this.caller = caller;
		this.request = request;
		this.members = members;
		this.callerSessions = callerSessions;
		this.sessions = sessions;
		this.reached = Collections.synchronizedMap(members.current());
	}

	@Override
	public Caller caller() {
		return this.caller;
	}

	/** The revision the request names in its {@code _meta}. */
	@Override
	public String protocolVersion() {
		return this.request.meta().path(StatelessMeta.PROTOCOL_VERSION).asString("");
	}

	/**
	 * The members reached, with what this pod learned of each, as of now: a copy, so that
	 * nothing holds the map while it asks the members.
	 */
	Map<String, MemberRevision> revisions() {
		synchronized (this.reached) {
			return new LinkedHashMap<>(this.reached);
		}
	}

	/**
	 * The stateless view when only stateless members are reached, with the gateway's
	 * identity; with 2025 members, the caller's own view, since their lists come through
	 * the caller's sessions, and likewise with a member reached with the caller's
	 * identity, whose lists may differ for each caller.
	 */
	@Override
	public CatalogScope catalogScope() {
		boolean shared;
		synchronized (this.reached) {
			shared = this.reached.values().stream().allMatch(MemberRevision::stateless)
					&& !this.members.anyPerCaller(this.reached.keySet());
		}
		if (shared) {
			return CatalogScope.STATELESS;
		}
		// Asked on every catalog lookup of the request: the key is signed once.
		CatalogScope view = this.view;
		if (view == null) {
			view = CatalogScope.view(this.callerSessions.viewKey(this.caller, capabilities()));
			this.view = view;
		}
		return view;
	}

	@Override
	public List<String> members() {
		synchronized (this.reached) {
			return List.copyOf(this.reached.keySet());
		}
	}

	@Override
	public BackendConnection connection(String member) {
		MemberRevision revision = this.reached.get(member);
		if (revision == null) {
			throw new BackendUnavailableException("Backend " + member + " is not reachable now");
		}
		if (revision.stateless()) {
			return BackendConnection.stateless(member, Instant.EPOCH, revision.discovered());
		}
		return withLogLevel(callerSession(member), member);
	}

	/**
	 * The member answered unlike its revision, or lost its session: learn its revision
	 * again, or initialize it again in the caller's session.
	 */
	@Override
	public BackendConnection reconnect(String member, BackendConnection lost) {
		ActiveSession session = this.sessionsInUse.get(member);
		if (lost.isStateless() || session == null) {
			MemberRevision revision = this.members.relearn(member);
			this.reached.put(member, revision);
			this.sessionsInUse.remove(member);
			return connection(member);
		}
		ActiveSession reconnected = this.sessions.reconnect(this.caller, session.record().id(), member,
				lost.backendSessionId());
		this.sessionsInUse.put(member, reconnected);
		this.logLevelsSet.remove(member);
		return withLogLevel(reconnected, member);
	}

	/** The caller session this request reached a 2025 member through, if it did. */
	Optional<SessionId> callerSessionId(String member) {
		return Optional.ofNullable(this.sessionsInUse.get(member)).map((session) -> session.record().id());
	}

	/**
	 * Reaches the member through the caller session {@code id} (the one a parked call
	 * went through), whatever capabilities this request declares.
	 */
	void useCallerSession(String member, SessionId id) {
		this.sessionsInUse.put(member, this.sessions.use(this.caller, id));
	}

	/**
	 * Opens a session of the caller's own for one listen, with {@code sessionMembers},
	 * and reaches those members through it from now on. A fresh random id: no other pod
	 * needs to find it. Opened as caller sessions are, on the caller's behalf.
	 * @throws CreationRefusedException when the caller may not create one now
	 */
	ActiveSession openListenSession(List<String> sessionMembers, ClientProfile client) {
		SessionId id = new SessionId(LISTEN_SESSION_PREFIX + SessionId.generate().value());
		ActiveSession session = this.sessions.useOrOpen(this.caller, id, sessionMembers, client);
		sessionMembers.forEach((member) -> this.sessionsInUse.put(member, session));
		return session;
	}

	/** Reads a listen session's record, which keeps it from expiring. */
	void touchListenSession(ActiveSession session) {
		this.sessions.use(this.caller, session.record().id());
	}

	/** Terminates a listen session, at its members too. */
	void endListenSession(ActiveSession session) {
		this.sessionsInUse.values().removeIf((used) -> used.record().id().equals(session.record().id()));
		this.sessions.terminate(this.caller, session.record().id());
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

	private ActiveSession callerSession(String member) {
		return this.sessionsInUse.computeIfAbsent(member, (name) -> {
			try {
				return this.callerSessions.of(this.caller, name, capabilities());
			}
			catch (CreationRefusedException ex) {
				throw new BackendUnavailableException("Backend " + name
						+ " needs a session of this caller, which it may not create now: " + ex.getMessage(), ex);
			}
		});
	}

	/**
	 * The member's connection in the caller session, sending log messages from the level
	 * the request asked for: seen to once per request and member, before the first
	 * message (this request's own {@code logging/setLevel} comes through here too).
	 */
	private BackendConnection withLogLevel(ActiveSession session, String member) {
		BackendConnection connection = connected(session, member);
		Optional<LogLevel> wanted = this.request.logLevel();
		if (wanted.isPresent() && this.logLevelsSet.add(member)) {
			this.logLevels.lowerTo(this, member, session.record(), connection.backendSessionId(), wanted.get());
		}
		return connection;
	}

	private static BackendConnection connected(ActiveSession session, String member) {
		return session.live()
			.connection(member)
			.filter((connection) -> !connection.isClosed())
			.orElseThrow(() -> new BackendUnavailableException("Backend " + member + " is not connected"));
	}

	/** The capabilities the client declares in its request's {@code _meta}. */
	JsonNode declaredCapabilities() {
		return capabilities();
	}

	private JsonNode capabilities() {
		return this.request.meta().path(StatelessMeta.CLIENT_CAPABILITIES);
	}

}
