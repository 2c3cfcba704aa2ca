package dev.vmcp.sessions.mcp.v2025;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendStream;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.backend.MemberCaller;
import dev.vmcp.sessions.backend.StreamListener;
import dev.vmcp.sessions.backend.StreamRefusal;
import dev.vmcp.sessions.mcp.ClientStream;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.mcp.Members;
import dev.vmcp.sessions.mcp.ReopenPauses;
import dev.vmcp.sessions.mcp.StatelessMeta;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionService;

/**
 * The 2026-07-28 members' part of a 2025 client's standalone stream: such a member has no
 * {@code GET} stream, so the pod holding the client's opens one
 * {@code subscriptions/listen} per member, asking for the list changes the member offers
 * and for the resources the client subscribed to there ({@link ResourceSubscriptions}).
 * What it sends reaches the client as plain 2025 notifications. The listens live and die
 * with the client's stream, so that only the pod holding that holds them; a changed set
 * of subscriptions opens the member's listen again with it, and one the member ends is
 * opened again after a pause that grows while the member stays away. Thread-safe.
 */
final class MemberListens {

	private static final Logger logger = LoggerFactory.getLogger(MemberListens.class);

	private static final String ACKNOWLEDGED = "notifications/subscriptions/acknowledged";

	private static final Duration FIRST_REOPEN_PAUSE = Duration.ofSeconds(1);

	private final ConcurrentMap<SessionId, Held> held = new ConcurrentHashMap<>();

	private final Members members;

	private final SessionService sessions;

	private final MemberMessages memberMessages;

	private final JsonMapper json;

	MemberListens(Members members, SessionService sessions, MemberMessages memberMessages, McpSignals signals,
			JsonMapper json) {
		this.json = json;
		this.members = members;
		this.sessions = sessions;
		this.memberMessages = memberMessages;
		signals.onSubscriptionsChanged(this::listenAgain);
	}

	/**
	 * Opens a listen at each 2026-07-28 member of the session, relayed to {@code stream};
	 * closing what it returns (when the client's stream ends) closes them.
	 */
	Held open(SessionContext context, ClientStream stream) {
		Held listens = new Held(context, stream, MemberCaller.current().orElse(null));
		for (String member : context.members()) {
			context.session()
				.live()
				.connection(member)
				.filter(BackendConnection::isStateless)
				.ifPresent((connection) -> listens.byMember.put(member, new MemberListen(listens, member)));
		}
		if (!listens.byMember.isEmpty()) {
			this.held.put(context.id(), listens);
			List<String> all = List.copyOf(listens.byMember.keySet());
			all.forEach((member) -> listens.byMember.get(member)
				.open(ResourceSubscriptions.of(context.session().record(), member)));
		}
		return listens;
	}

	/**
	 * The client changed its subscriptions at {@code member}: listen with the new set.
	 */
	private void listenAgain(SessionId id, String member) {
		Held listens = this.held.get(id);
		MemberListen listen = (listens != null) ? listens.byMember.get(member) : null;
		if (listen == null) {
			return;
		}
		// Off the broadcast thread: it reads the store and asks the member
		Thread.ofVirtual().name("member-listen-again").start(() -> {
			MemberCaller.Binding binding = MemberCaller.bind(listens.caller);
			try {
				listen.open(ResourceSubscriptions.of(this.sessions.use(listens.context.caller(), id).record(), member));
			}
			catch (RuntimeException ex) {
				logger.warn("Listen of backend {} for session {} not opened again: {}", member,
						listens.context.shortId(), ex.getMessage());
			}
			finally {
				binding.close();
			}
		});
	}

	/** The listens of one client stream. */
	final class Held implements AutoCloseable {

		private final SessionContext context;

		private final ClientStream stream;

		private final @Nullable MemberCaller caller;

		private final Map<String, MemberListen> byMember = new ConcurrentHashMap<>();

		private Held(SessionContext context, ClientStream stream, @Nullable MemberCaller caller) {
			this.context = context;
			this.stream = stream;
			this.caller = caller;
		}

		@Override
		public void close() {
			MemberListens.this.held.remove(this.context.id(), this);
			this.byMember.values().forEach(MemberListen::close);
		}

	}

	/**
	 * One member's listen for one client stream: at most one open at a time, replaced
	 * when the subscriptions change, opened again when it ends while the client's stream
	 * is open.
	 */
	private final class MemberListen {

		private final Held listens;

		private final String member;

		private @Nullable BackendStream current;

		private List<String> uris = List.of();

		private final ReopenPauses pauses = new ReopenPauses(FIRST_REOPEN_PAUSE);

		MemberListen(Held listens, String member) {
			this.listens = listens;
			this.member = member;
		}

		/** Opens the listen with {@code subscribed}, in place of the one open. */
		synchronized void open(List<String> subscribed) {
			this.uris = subscribed;
			if (this.current != null) {
				this.current.close();
				this.current = null;
			}
			if (this.listens.stream.isClosed()) {
				return;
			}
			try {
				ObjectNode filter = filter(MemberListens.this.members.connection(this.listens.context, this.member));
				if (filter.isEmpty()) {
					return;
				}
				ObjectNode request = JsonRpc.notification("subscriptions/listen");
				request.put("id", "vmcp-listen-" + this.listens.stream.id());
				request.putObject("params").set("notifications", filter);
				Opened opened = new Opened();
				this.current = MemberListens.this.members.listen(this.listens.context, this.member, request,
						(text, message) -> relay(message), opened);
				opened.stream = this.current;
			}
			catch (BackendUnavailableException ex) {
				logger.warn("Listen of backend {} for session {} not opened: {}", this.member,
						this.listens.context.shortId(), ex.getMessage());
				reopenLater(null);
			}
		}

		synchronized void close() {
			if (this.current != null) {
				this.current.close();
			}
		}

		/** What the member offers of list changes, and the client's subscriptions. */
		private ObjectNode filter(BackendConnection connection) {
			JsonNode capabilities = connection.initializeResult().orElse(JsonRpc.objectNode()).path("capabilities");
			ObjectNode filter = JsonRpc.objectNode();
			for (String kind : List.of("tools", "prompts", "resources")) {
				if (capabilities.path(kind).path("listChanged").asBoolean(false)) {
					filter.put(kind + "ListChanged", true);
				}
			}
			if (!this.uris.isEmpty()) {
				this.uris.forEach(filter.putArray("resourceSubscriptions")::add);
			}
			return filter;
		}

		private void relay(JsonNode message) {
			if (!JsonRpc.isNotification(message) || message.path("method").asString("").equals(ACKNOWLEDGED)
					|| !(message instanceof ObjectNode notification)) {
				return;
			}
			ObjectNode plain = notification.deepCopy();
			StatelessMeta.removeReservedKeys(plain);
			if (plain.get("params") instanceof ObjectNode params && params.isEmpty()) {
				plain.remove("params");
			}
			this.pauses.reset();
			this.listens.stream.message(MemberListens.this.memberMessages.forClient(this.listens.context, this.member,
					MemberListens.this.json.writeValueAsString(plain), plain));
		}

		/** Opens the listen again after a pause, unless {@code ended} was replaced. */
		private synchronized void reopenLater(@Nullable BackendStream ended) {
			if (ended != null && ended != this.current) {
				return;
			}
			this.pauses.reopenLater(this.listens.stream, "member-listen-reopen", () -> {
				synchronized (this) {
					if (ended == null || ended == this.current) {
						open(this.uris);
					}
				}
			});
		}

		/** Hears one opened listen, and opens it again when it ends or fails. */
		private final class Opened implements StreamListener {

			private volatile @Nullable BackendStream stream;

			@Override
			public void refused(StreamRefusal reason) {
				if (reason != StreamRefusal.UNSUPPORTED) {
					reopenLater(this.stream);
				}
			}

			@Override
			public void ended() {
				reopenLater(this.stream);
			}

		}

	}

}
