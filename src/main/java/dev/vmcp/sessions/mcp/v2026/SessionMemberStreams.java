package dev.vmcp.sessions.mcp.v2026;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendMessenger;
import dev.vmcp.sessions.backend.BackendStream;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.backend.StreamListener;
import dev.vmcp.sessions.backend.StreamRefusal;
import dev.vmcp.sessions.mcp.ClientStream;
import dev.vmcp.sessions.mcp.EventStreams;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.mcp.Members;
import dev.vmcp.sessions.mcp.ReopenPauses;

/**
 * The 2025 members' standalone {@code GET} streams in listen sessions
 * ({@link ListenSessions}): each subscribes the filter's resources first, relays what the
 * filter admits tagged with the client's subscription id, and is opened again when it
 * ends while the client listens (initialized again first when the member lost the
 * session). Thread-safe.
 */
final class SessionMemberStreams {

	private static final Logger logger = LoggerFactory.getLogger(SessionMemberStreams.class);

	private static final Duration FIRST_REOPEN_PAUSE = Duration.ofMillis(500);

	private final Members members;

	private final BackendMessenger messenger;

	private final McpSignals signals;

	private final JsonMapper json;

	SessionMemberStreams(Members members, BackendMessenger messenger, McpSignals signals, JsonMapper json) {
		this.members = members;
		this.messenger = messenger;
		this.signals = signals;
		this.json = json;
	}

	/**
	 * Opens {@code member}'s stream in the listen session {@code context} reaches it
	 * through, for {@code filter} (what the member honours of the client's).
	 */
	void open(StatelessContext context, String member, JsonNode filter, Relay relay) {
		new MemberStream(context, member, filter, relay).open();
	}

	/**
	 * Where a listen's members' notifications go: the client's stream, tagged with its
	 * subscription id; and where the members' streams are kept, to be closed with it.
	 */
	record Relay(JsonNode subscriptionId, ClientStream stream, List<BackendStream> opened) {
	}

	/**
	 * One member's standalone stream in a listen session: subscribes the filter's
	 * resources first, relays what the filter admits, and opens it again when it ends
	 * while the client listens (initialized again first when the member lost the
	 * session).
	 */
	private final class MemberStream implements StreamListener {

		private final StatelessContext context;

		private final String member;

		private final JsonNode filter;

		private final JsonNode subscriptionId;

		private final ClientStream stream;

		private final List<BackendStream> opened;

		private final ReopenPauses pauses = new ReopenPauses(FIRST_REOPEN_PAUSE);

		private volatile boolean subscribed;

		MemberStream(StatelessContext context, String member, JsonNode filter, Relay relay) {
			this.context = context;
			this.member = member;
			this.filter = filter;
			this.subscriptionId = relay.subscriptionId();
			this.stream = relay.stream();
			this.opened = relay.opened();
		}

		void open() {
			if (this.stream.isClosed()) {
				return;
			}
			try {
				subscribeOnce();
				BackendConnection connection = SessionMemberStreams.this.members.connection(this.context, this.member);
				BackendStream opened = SessionMemberStreams.this.messenger.openStream(
						SessionMemberStreams.this.members.definition(this.member), connection,
						(text, message) -> relay(message), new Reconnecting(connection));
				this.opened.removeIf(BackendStream::isClosed);
				this.opened.add(opened);
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
				JsonNode answer = SessionMemberStreams.this.members.call(this.context, this.member,
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
				SessionMemberStreams.this.signals.catalogChanged(this.context.catalogScope());
			}
			this.pauses.reset();
			this.stream.send(EventStreams.event(SessionMemberStreams.this.json
				.writeValueAsString(ListenFilter.tagged(message, this.subscriptionId))));
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
			this.pauses.reopenLater(this.stream, "listen-session-reopen", this::open);
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
						SessionMemberStreams.this.members.reconnect(MemberStream.this.context, MemberStream.this.member,
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
