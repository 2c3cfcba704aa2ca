package dev.vmcp.sessions.backend;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Speaks the MCP Streamable HTTP transport to backend servers: initialize handshake,
 * {@code ping} to check that a resumed session is still known, {@code DELETE} to end one.
 * A member that speaks 2026-07-28 has no session: connecting to it is learning its
 * revision, and nothing is sent to end it. Every exchange, body included, is bounded by
 * the backend's request timeout.
 */
public final class StreamableHttpBackendConnector implements BackendConnector {

	private static final Logger logger = LoggerFactory.getLogger(StreamableHttpBackendConnector.class);

	private final AtomicLong requestIds = new AtomicLong();

	private final BackendHttp http;

	private final JsonMapper json;

	private final JsonRpcResponses responses;

	private final Clock clock;

	private final String clientVersion;

	private final MemberRevisions revisions;

	public StreamableHttpBackendConnector(BackendHttp http, JsonMapper json, Clock clock, String clientVersion,
			MemberRevisions revisions) {
		this.http = http;
		this.revisions = revisions;
		this.json = json;
		this.responses = new JsonRpcResponses(json);
		this.clock = clock;
		this.clientVersion = clientVersion;
	}

	@Override
	public BackendConnection open(BackendDefinition backend, ClientProfile client) {
		MemberRevision revision = this.revisions.of(backend);
		if (revision.stateless()) {
			return BackendConnection.stateless(backend.name(), this.clock.instant(), revision.discovered());
		}
		try {
			return initialize(backend, client);
		}
		catch (MemberCredentialsException ex) {
			// No token to send: the member was not asked, its revision stands
			throw ex;
		}
		catch (BackendUnavailableException ex) {
			// Refused, perhaps because it speaks 2026-07-28 now: it is asked again next
			// time.
			this.revisions.forget(backend.name());
			throw ex;
		}
	}

	private BackendConnection initialize(BackendDefinition backend, ClientProfile client) {
		String id = nextId();
		BackendReply reply = this.http.exchange(backend,
				this.http.post(backend, initializeRequest(id, client), null, client.protocolVersion()));
		requireSuccess(backend, reply, "initialize");
		JsonNode answer = requireAnswer(backend, reply, id, "initialize");
		String sessionId = reply.sessionId();
		String negotiated = answer.path("result").path("protocolVersion").asString(client.protocolVersion());
		try {
			sendInitialized(backend, sessionId, negotiated);
		}
		catch (RuntimeException ex) {
			// The backend has the session already: end it rather than leave it behind.
			terminate(backend, sessionId);
			throw ex;
		}
		this.revisions.initialized(backend.name(), answer.path("result"));
		return new BackendConnection(backend.name(), sessionId, this.clock.instant(), negotiated,
				answer.path("result"));
	}

	@Override
	public Optional<BackendConnection> resume(BackendDefinition backend, String backendSessionId, Instant connectedAt,
			String protocolVersion) {
		MemberRevision revision = this.revisions.of(backend);
		boolean hintedStateless = ProtocolVersions.isStateless(protocolVersion);
		if (revision.stateless() || hintedStateless) {
			// A hint of the other revision is from before a redeploy: connect anew.
			return (revision.stateless() && hintedStateless)
					? Optional.of(BackendConnection.stateless(backend.name(), connectedAt, revision.discovered()))
					: Optional.empty();
		}
		try {
			return ping(backend, backendSessionId, connectedAt, protocolVersion);
		}
		catch (MemberCredentialsException ex) {
			throw ex;
		}
		catch (BackendUnavailableException ex) {
			this.revisions.forget(backend.name());
			throw ex;
		}
	}

	private Optional<BackendConnection> ping(BackendDefinition backend, String backendSessionId, Instant connectedAt,
			String protocolVersion) {
		String id = nextId();
		String ping = "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"ping\"}";
		BackendReply reply = this.http.exchange(backend,
				this.http.post(backend, ping, backendSessionId, protocolVersion));
		if (reply.status() == 404) {
			return Optional.empty();
		}
		requireSuccess(backend, reply, "ping");
		requireAnswer(backend, reply, id, "ping");
		return Optional.of(new BackendConnection(backend.name(), backendSessionId, connectedAt, protocolVersion, null));
	}

	@Override
	public void terminate(BackendDefinition backend, String backendSessionId) {
		if (backendSessionId.isEmpty()) {
			return;
		}
		try {
			this.http.exchange(backend, this.http.delete(backend, backendSessionId));
		}
		catch (BackendUnavailableException ex) {
			logger.warn("Could not end the session of backend {}: {}", backend.name(), ex.getMessage());
		}
	}

	private void sendInitialized(BackendDefinition backend, String sessionId, String protocolVersion) {
		String notification = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
		requireSuccess(backend,
				this.http.exchange(backend, this.http.post(backend, notification, sessionId, protocolVersion)),
				"notifications/initialized");
	}

	/**
	 * The client's capabilities go through as the client wrote them (raw JSON), so that
	 * the backend sees exactly what the client offers.
	 */
	private String initializeRequest(String id, ClientProfile client) {
		String clientInfo = this.json
			.writeValueAsString(Map.of("name", "vmcp-sessions", "version", this.clientVersion));
		return "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
				+ this.json.writeValueAsString(client.protocolVersion()) + ",\"capabilities\":" + client.capabilities()
				+ ",\"clientInfo\":" + clientInfo + "}}";
	}

	/** Ids of the gateway's own requests: strings, never confused with a client's. */
	private String nextId() {
		return "vmcp-" + this.requestIds.incrementAndGet();
	}

	private static void requireSuccess(BackendDefinition backend, BackendReply reply, String step) {
		if (!reply.isSuccess()) {
			throw new BackendUnavailableException(
					"Backend " + backend.name() + " answered " + step + " with HTTP " + reply.status());
		}
	}

	private JsonNode requireAnswer(BackendDefinition backend, BackendReply reply, String id, String step) {
		String contentType = reply.contentType().isEmpty() ? "application/json" : reply.contentType();
		JsonNode answer = this.responses.find(contentType, reply.body(), id)
			.orElseThrow(
					() -> new BackendUnavailableException("Backend " + backend.name() + " sent no answer to " + step));
		if (answer.has("error")) {
			throw new BackendUnavailableException(
					"Backend " + backend.name() + " refused " + step + ": " + answer.get("error"));
		}
		return answer;
	}

}
