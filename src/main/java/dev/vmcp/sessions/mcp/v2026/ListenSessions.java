package dev.vmcp.sessions.mcp.v2026;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendMessenger;
import dev.vmcp.sessions.backend.BackendStream;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.backend.ClientProfile;
import dev.vmcp.sessions.backend.ProtocolVersions;
import dev.vmcp.sessions.mcp.ClientStream;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.mcp.Members;
import dev.vmcp.sessions.session.ActiveSession;
import dev.vmcp.sessions.session.CreationRefusedException;
import dev.vmcp.sessions.session.SessionNotFoundException;

/**
 * Feeds a {@code subscriptions/listen} from the 2025 members it reaches, which know no
 * listen stream: through a backend session of the listen's own, whose standalone
 * {@code GET} stream at each member carries what the filter asks for. Not the caller
 * sessions the client's calls go through: a 2025 member commonly allows one {@code GET}
 * stream per session (409 for a second), which two listens of one caller, or another
 * pod's, would then fight over. The listen session is created with a random id by the pod
 * serving the listen, with the 2025 members reached, counts as one session in the
 * caller's limits while the listen lasts, is kept from expiring by the listen's
 * keep-alives, and is terminated ({@code DELETE} at each member) when the listen ends,
 * whichever pod the client cancels it on. One the caller may not create leaves the 2025
 * members out of the listen; one that reaches its absolute lifetime ends the listen with
 * its completion result, so that the client listens again. Thread-safe.
 */
final class ListenSessions {

	private static final Logger logger = LoggerFactory.getLogger(ListenSessions.class);

	private final Members members;

	private final SessionMemberStreams memberStreams;

	private final JsonMapper json;

	ListenSessions(Members members, BackendMessenger messenger, McpSignals signals, JsonMapper json) {
		this.members = members;
		this.memberStreams = new SessionMemberStreams(members, messenger, signals, json);
		this.json = json;
	}

	/**
	 * Opens the listen session with the 2025 members {@code context} reaches, when there
	 * are any and the client asks for something; nothing otherwise, or when the caller
	 * may not create one more session.
	 */
	Optional<Feed> open(StatelessContext context, JsonNode requested) {
		List<String> sessionMembers = context.revisions()
			.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().stateless())
			.map(Map.Entry::getKey)
			.toList();
		if (sessionMembers.isEmpty() || ListenFilter.honoured(requested, List.of(everything())).isEmpty()) {
			return Optional.empty();
		}
		ClientProfile client = new ClientProfile(ProtocolVersions.LATEST,
				this.json.writeValueAsString(context.declaredCapabilities()));
		try {
			ActiveSession session = context.openListenSession(sessionMembers, client);
			return Optional.of(new Feed(context, session));
		}
		catch (CreationRefusedException ex) {
			logger.info("The 2025 members of {} do not feed its listen: no session may be created now: {}",
					context.shortId(), ex.getMessage());
			return Optional.empty();
		}
	}

	/** What a member offering every option would declare: what may be asked at all. */
	private static JsonNode everything() {
		ObjectNode described = JsonRpc.objectNode();
		ObjectNode capabilities = described.putObject("capabilities");
		for (String capability : List.of("tools", "prompts", "resources")) {
			capabilities.putObject(capability).put("listChanged", true).put("subscribe", true);
		}
		return described;
	}

	/** The listen session of one listen, and the members' streams it holds. */
	final class Feed implements AutoCloseable {

		private final StatelessContext context;

		private final ActiveSession session;

		private final List<BackendStream> memberStreams = new CopyOnWriteArrayList<>();

		private Feed(StatelessContext context, ActiveSession session) {
			this.context = context;
			this.session = session;
		}

		/** The {@code initialize} results of the members connected in the session. */
		List<JsonNode> described() {
			return this.session.record()
				.backends()
				.stream()
				.flatMap((member) -> connection(member).flatMap(BackendConnection::initializeResult).stream())
				.toList();
		}

		/**
		 * Subscribes the filter's resources at each member that offers subscriptions,
		 * then opens the stream of each member that honours part of the filter, relayed
		 * to {@code stream} tagged with {@code subscriptionId}.
		 */
		void start(JsonNode requested, JsonNode subscriptionId, ClientStream stream) {
			for (String member : this.session.record().backends()) {
				connection(member).flatMap(BackendConnection::initializeResult).ifPresent((described) -> {
					JsonNode filter = ListenFilter.honoured(requested, List.of(described));
					if (!filter.isEmpty()) {
						ListenSessions.this.memberStreams.open(this.context, member, filter,
								new SessionMemberStreams.Relay(subscriptionId, stream, this.memberStreams));
					}
				});
			}
		}

		/**
		 * Keeps the session from expiring while the listen lasts: its record is read.
		 * @return false once the session is gone (it reached
		 * {@code vmcp.session.max-lifetime}, or was terminated through the REST API)
		 */
		boolean keepAlive() {
			try {
				this.context.touchListenSession(this.session);
			}
			catch (SessionNotFoundException ex) {
				return false;
			}
			catch (RuntimeException ex) {
				// The store is away for now: the session's idle TTL leaves time to retry
				logger.debug("Listen session of {} not kept alive: {}", this.context.shortId(), ex.getMessage());
			}
			return true;
		}

		/** Closes the members' streams and terminates the session. */
		@Override
		public void close() {
			this.memberStreams.forEach(BackendStream::close);
			try {
				this.context.endListenSession(this.session);
			}
			catch (RuntimeException ex) {
				logger.info("Listen session of {} not terminated, it expires: {}", this.context.shortId(),
						ex.getMessage());
			}
		}

		private Optional<BackendConnection> connection(String member) {
			try {
				return Optional.of(ListenSessions.this.members.connection(this.context, member));
			}
			catch (BackendUnavailableException ex) {
				return Optional.empty();
			}
		}

	}

}
