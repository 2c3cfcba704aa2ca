package dev.vmcp.sessions.mcp.v2026;

import java.time.Duration;
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
import dev.vmcp.sessions.backend.MemberCaller;
import dev.vmcp.sessions.backend.ProtocolVersions;
import dev.vmcp.sessions.backend.StreamListener;
import dev.vmcp.sessions.backend.StreamRefusal;
import dev.vmcp.sessions.mcp.ClientStream;
import dev.vmcp.sessions.mcp.EventStreams;
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

	private static final Duration FIRST_REOPEN_PAUSE = Duration.ofMillis(500);

	private static final Duration LONGEST_REOPEN_PAUSE = Duration.ofSeconds(30);

	private final Members members;

	private final BackendMessenger messenger;

	private final McpSignals signals;

	private final JsonMapper json;

	ListenSessions(Members members, BackendMessenger messenger, McpSignals signals, JsonMapper json) {
		this.members = members;
		this.messenger = messenger;
		this.signals = signals;
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
						new MemberStream(this, member, filter, subscriptionId, stream).open();
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

	/**
	 * One member's standalone stream in a listen session: subscribes the filter's
	 * resources first, relays what the filter admits, and opens it again when it ends
	 * while the client listens (initialized again first when the member lost the
	 * session).
	 */
	private final class MemberStream implements StreamListener {

		private final Feed feed;

		private final String member;

		private final JsonNode filter;

		private final JsonNode subscriptionId;

		private final ClientStream stream;

		private volatile Duration nextPause = FIRST_REOPEN_PAUSE;

		private volatile boolean subscribed;

		MemberStream(Feed feed, String member, JsonNode filter, JsonNode subscriptionId, ClientStream stream) {
			this.feed = feed;
			this.member = member;
			this.filter = filter;
			this.subscriptionId = subscriptionId;
			this.stream = stream;
		}

		void open() {
			if (this.stream.isClosed()) {
				return;
			}
			try {
				subscribeOnce();
				BackendConnection connection = ListenSessions.this.members.connection(this.feed.context, this.member);
				BackendStream opened = ListenSessions.this.messenger.openStream(
						ListenSessions.this.members.definition(this.member), connection,
						(text, message) -> relay(message), new Reconnecting(connection));
				this.feed.memberStreams.removeIf(BackendStream::isClosed);
				this.feed.memberStreams.add(opened);
				if (this.stream.isClosed()) {
					opened.close();
				}
			}
			catch (BackendUnavailableException ex) {
				logger.warn("Stream of backend {} for a listen not opened: {}", this.member, ex.getMessage());
				reopenLater();
			}
		}

		private void subscribeOnce() {
			if (this.subscribed) {
				return;
			}
			for (String uri : ListenFilter.resourceSubscriptions(this.filter)) {
				JsonNode answer = ListenSessions.this.members.call(this.feed.context, this.member,
						"resources/subscribe", JsonRpc.objectNode().put("uri", uri));
				if (answer.has("error")) {
					// Another member's resource, most likely: each is asked for all.
					logger.debug("Backend {} did not subscribe {}: {}", this.member, uri, answer.get("error"));
				}
			}
			this.subscribed = true;
		}

		private void relay(JsonNode message) {
			if (!JsonRpc.isNotification(message) || !ListenFilter.admits(this.filter, message)) {
				return;
			}
			if (message.path("method").asString("").endsWith("/list_changed")) {
				ListenSessions.this.signals.catalogChanged(this.feed.context.catalogScope());
			}
			this.nextPause = FIRST_REOPEN_PAUSE;
			this.stream.send(EventStreams
				.event(ListenSessions.this.json.writeValueAsString(ListenFilter.tagged(message, this.subscriptionId))));
		}

		@Override
		public void refused(StreamRefusal reason) {
			if (reason != StreamRefusal.UNSUPPORTED) {
				reopenLater();
			}
		}

		@Override
		public void ended() {
			reopenLater();
		}

		private void reopenLater() {
			if (this.stream.isClosed()) {
				return;
			}
			Duration pause = this.nextPause;
			this.nextPause = (pause.multipliedBy(2).compareTo(LONGEST_REOPEN_PAUSE) < 0) ? pause.multipliedBy(2)
					: LONGEST_REOPEN_PAUSE;
			// Opened again for the same caller, with its token
			Thread.ofVirtual().name("listen-session-reopen").start(MemberCaller.propagating(() -> {
				if (this.stream.awaitClose(pause)) {
					open();
				}
			}));
		}

		/**
		 * Hears one opened stream: a member that lost the session is initialized again in
		 * it, and its resources subscribed again, before the stream is opened again.
		 */
		private final class Reconnecting implements StreamListener {

			private final BackendConnection connection;

			Reconnecting(BackendConnection connection) {
				this.connection = connection;
			}

			@Override
			public void refused(StreamRefusal reason) {
				if (reason == StreamRefusal.SESSION_LOST && !MemberStream.this.stream.isClosed()) {
					try {
						ListenSessions.this.members.reconnect(MemberStream.this.feed.context, MemberStream.this.member,
								this.connection);
						MemberStream.this.subscribed = false;
					}
					catch (RuntimeException ex) {
						logger.warn("Backend {} lost a listen session and could not be initialized again: {}",
								MemberStream.this.member, ex.getMessage());
					}
				}
				MemberStream.this.refused(reason);
			}

			@Override
			public void ended() {
				MemberStream.this.ended();
			}

		}

	}

}
