package dev.vmcp.sessions.backend;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which revision each member speaks, as this pod learned it: a member is stateless
 * (2026-07-28) only when its {@code server/discover} names 2026-07-28 among its supported
 * versions, since some 2025 servers answer {@code server/discover} too; otherwise it
 * opens sessions. A verdict is kept for a bounded time and forgotten at once when the
 * member answers in a way that contradicts it (a redeploy). An outage or an
 * authentication failure is no verdict: the member is unavailable for now and asked again
 * next time. A pinned member ({@code vmcp.backends[i].protocol}) is not probed for its
 * revision. Thread-safe.
 */
public final class MemberRevisions {

	private static final Logger logger = LoggerFactory.getLogger(MemberRevisions.class);

	private final BackendHttp http;

	private final JsonMapper json;

	private final JsonRpcResponses responses;

	private final String clientVersion;

	private final Cache<String, MemberRevision> verdicts;

	private final Cache<String, BackendUnavailableException> recentFailures;

	private final Map<String, JsonNode> initializeResults = new ConcurrentHashMap<>();

	private final AtomicLong requestIds = new AtomicLong();

	/**
	 * @param verdictLifetime how long a learned revision is trusted before the member is
	 * asked again
	 * @param retryInterval how long a member that could not be asked is taken as
	 * unavailable before it is asked again, so that requests do not each wait for it
	 */
	public MemberRevisions(BackendHttp http, JsonMapper json, Duration verdictLifetime, Duration retryInterval,
			String clientVersion) {
		this.http = http;
		this.json = json;
		this.responses = new JsonRpcResponses(json);
		this.clientVersion = clientVersion;
		this.verdicts = Caffeine.newBuilder().expireAfterWrite(verdictLifetime).build();
		this.recentFailures = Caffeine.newBuilder().expireAfterWrite(retryInterval).build();
	}

	/**
	 * The member's revision, asking it when this pod has no verdict.
	 * @throws BackendUnavailableException when the member cannot be asked, refuses the
	 * gateway's credentials, or is pinned to 2026-07-28 and does not speak it
	 */
	public MemberRevision of(BackendDefinition backend) {
		if (backend.protocol() == MemberProtocol.SESSIONS) {
			return MemberRevision.SESSIONS;
		}
		MemberRevision known = this.verdicts.getIfPresent(backend.name());
		if (known != null) {
			return known;
		}
		BackendUnavailableException failed = this.recentFailures.getIfPresent(backend.name());
		if (failed != null) {
			throw new BackendUnavailableException(failed.getMessage(), failed);
		}
		try {
			MemberRevision learned = discover(backend);
			this.verdicts.put(backend.name(), learned);
			return learned;
		}
		catch (MemberCredentialsException ex) {
			// No token for this caller says nothing of the member, nor of other callers
			throw ex;
		}
		catch (BackendUnavailableException ex) {
			this.recentFailures.put(backend.name(), ex);
			throw ex;
		}
	}

	/**
	 * What a member that opens sessions said of itself when this pod last initialized it
	 * (capabilities, instructions): how a pod describes it to clients without sessions.
	 */
	public Optional<JsonNode> lastInitializeResult(String backend) {
		return Optional.ofNullable(this.initializeResults.get(backend));
	}

	void initialized(String backend, JsonNode result) {
		this.initializeResults.put(backend, result);
	}

	/**
	 * The member answered against its verdict, or refused to connect: ask it again next
	 * time.
	 */
	public void forget(String backend) {
		if (this.verdicts.asMap().remove(backend) != null) {
			logger.info("Backend {} will be asked for its revision again", backend);
		}
	}

	private MemberRevision discover(BackendDefinition backend) {
		String id = "vmcp-discover-" + this.requestIds.incrementAndGet();
		BackendReply reply = this.http.exchange(backend, this.http.post(backend, discoverRequest(id), null,
				ProtocolVersions.STATELESS, Map.of(StatelessHeaders.METHOD, "server/discover")));
		if (isNoVerdict(reply.status())) {
			throw new BackendUnavailableException(
					"Backend " + backend.name() + " answered server/discover with HTTP " + reply.status());
		}
		JsonNode result = reply.isSuccess() ? result(reply, id) : null;
		if (result != null && speaksStateless(result)) {
			return MemberRevision.stateless(result);
		}
		if (backend.protocol() == MemberProtocol.STATELESS) {
			throw new BackendUnavailableException("Backend " + backend.name() + " is configured as "
					+ ProtocolVersions.STATELESS + " but its server/discover does not list it");
		}
		return MemberRevision.SESSIONS;
	}

	/** Refused credentials, throttling and server errors say nothing of the revision. */
	private static boolean isNoVerdict(int status) {
		return status == 401 || status == 403 || status == 407 || status == 429 || status >= 500;
	}

	private @Nullable JsonNode result(BackendReply reply, String id) {
		String contentType = reply.contentType().isEmpty() ? "application/json" : reply.contentType();
		try {
			return this.responses.find(contentType, reply.body(), id)
				.map((answer) -> answer.get("result"))
				.orElse(null);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static boolean speaksStateless(JsonNode result) {
		for (JsonNode version : result.path("supportedVersions")) {
			if (ProtocolVersions.STATELESS.equals(version.asString(""))) {
				return true;
			}
		}
		return false;
	}

	private String discoverRequest(String id) {
		String clientInfo = this.json
			.writeValueAsString(Map.of("name", "vmcp-sessions", "version", this.clientVersion));
		return "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"server/discover\",\"params\":{\"_meta\":{"
				+ "\"io.modelcontextprotocol/protocolVersion\":\"" + ProtocolVersions.STATELESS + "\","
				+ "\"io.modelcontextprotocol/clientInfo\":" + clientInfo + ","
				+ "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
	}

}
