package dev.vmcp.sessions.mcp.v2026;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.backend.BackendStream;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.backend.StreamListener;
import dev.vmcp.sessions.backend.StreamRefusal;
import dev.vmcp.sessions.mcp.CatalogScope;
import dev.vmcp.sessions.mcp.ClientTaskIds;
import dev.vmcp.sessions.mcp.ClientStream;
import dev.vmcp.sessions.mcp.EventStreams;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.mcp.Members;
import dev.vmcp.sessions.mcp.ReopenPauses;
import dev.vmcp.sessions.mcp.StatelessMeta;
import dev.vmcp.sessions.mcp.TaskIds;
import dev.vmcp.sessions.security.OwnerBindings;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.SessionId;

/**
 * Serves {@code subscriptions/listen} on whichever pod gets it: the acknowledgment first,
 * with the part of the client's filter that some member can honour, then what the
 * members' own listen streams send, each notification tagged with the client's
 * subscription id, until the client goes away or cancels it (on any pod). The pod opens
 * one listen stream per member that can honour part of the filter, asking only for that
 * part (with the member's own ids of the tasks it asks about, {@link ListenTasks}), and
 * opens it again when the member ends it. The 2025 members, which have no listen stream,
 * feed it through a backend session of the listen's own ({@link ListenSessions}). A list
 * change also makes this pod forget its lists.
 */
final class Subscriptions {

	private static final Logger logger = LoggerFactory.getLogger(Subscriptions.class);

	private static final String ACKNOWLEDGED = "notifications/subscriptions/acknowledged";

	private static final Duration FIRST_REOPEN_PAUSE = Duration.ofMillis(500);

	private final Members members;

	private final McpSignals signals;

	private final JsonMapper json;

	private final Duration keepAlive;

	private final OwnerBindings signatures;

	private final ListenSessions listenSessions;

	private final TaskIds taskIds;

	/** The streams this pod serves, by their listen key. */
	private final Map<SessionId, Open> open = new ConcurrentHashMap<>();

	Subscriptions(Members members, McpSignals signals, OwnerBindings signatures, JsonMapper json, Duration keepAlive,
			ListenSessions listenSessions) {
		this.members = members;
		this.taskIds = new TaskIds(signatures);
		this.listenSessions = listenSessions;
		this.signals = signals;
		this.signatures = signatures;
		this.json = json;
		this.keepAlive = keepAlive;
		signals.onListenCancelled(this::endHere);
	}

	/**
	 * The client cancelled its subscription ({@code notifications/cancelled} naming the
	 * listen request): the pod that holds the stream ends it, wherever the cancellation
	 * arrived.
	 */
	void cancel(Caller caller, JsonNode requestId) {
		SessionId key = key(caller, requestId);
		endHere(key);
		this.signals.listenCancelled(key);
	}

	/**
	 * Ends every stream this pod serves (shutting down), each with the completion result
	 * that tells its client the subscription ended gracefully: it listens again on
	 * another pod.
	 */
	void endAll() {
		this.open.values().forEach(this::complete);
	}

	/** Ends a stream with the completion result: its client listens again. */
	private void complete(Open listen) {
		ObjectNode result = JsonRpc.objectNode().put("resultType", "complete");
		result.putObject("_meta").set(StatelessMeta.SUBSCRIPTION_ID, listen.subscriptionId());
		listen.stream()
			.send(EventStreams.event(this.json.writeValueAsString(JsonRpc.result(listen.subscriptionId(), result))));
		listen.stream().close();
	}

	private void endHere(SessionId key) {
		Open listen = this.open.get(key);
		if (listen != null) {
			listen.stream().close();
		}
	}

	/** Names a subscription by its caller and request id, the same on every pod. */
	private SessionId key(Caller caller, JsonNode requestId) {
		return new SessionId("ls-"
				+ this.signatures.sign("mcp-listen", caller.owner() + '\0' + this.json.writeValueAsString(requestId)));
	}

	/** Serves the stream on the calling thread until the client goes away or cancels. */
	void serve(StatelessContext context, ObjectNode request, HttpServletResponse response) {
		JsonNode subscriptionId = request.get("id");
		JsonNode requested = request.path("params").path("notifications");
		ListenTasks tasks = ListenTasks.of(context, this.taskIds, requested);
		ClientStream stream = new ClientStream(UUID.randomUUID().toString(), response);
		List<BackendStream> memberStreams = new CopyOnWriteArrayList<>();
		SessionId key = key(context.caller(), subscriptionId);
		Open listen = new Open(subscriptionId, stream);
		this.open.put(key, listen);
		Optional<ListenSessions.Feed> feed = Optional.empty();
		try {
			stream.open();
			feed = this.listenSessions.open(context, requested);
			List<JsonNode> described = new ArrayList<>();
			context.revisions().values().forEach((revision) -> revision.discoverResult().ifPresent(described::add));
			feed.ifPresent((opened) -> described.addAll(opened.described()));
			stream.send(EventStreams.event(this.json.writeValueAsString(
					acknowledgment(subscriptionId, tasks.acknowledge(ListenFilter.honoured(requested, described))))));
			context.revisions().forEach((member, revision) -> {
				ObjectNode filter = tasks.forMember(member,
						ListenFilter.honoured(requested, revision.discoverResult().stream().toList()));
				if (revision.stateless() && !filter.isEmpty()) {
					new MemberListen(context, member, forMember(request, filter), subscriptionId, stream, memberStreams)
						.open();
				}
			});
			feed.ifPresent((opened) -> opened.start(requested, subscriptionId, stream));
			while (stream.awaitClose(this.keepAlive)) {
				stream.keepAlive();
				if (feed.isPresent() && !feed.get().keepAlive()) {
					// Its session reached its lifetime: listened to again, it gets a new
					// one
					complete(listen);
				}
			}
		}
		finally {
			stream.close();
			memberStreams.forEach(BackendStream::close);
			feed.ifPresent(ListenSessions.Feed::close);
			this.open.remove(key, listen);
		}
	}

	private static ObjectNode acknowledgment(JsonNode subscriptionId, ObjectNode honoured) {
		ObjectNode ack = JsonRpc.notification(ACKNOWLEDGED);
		ObjectNode params = ack.putObject("params");
		params.putObject("_meta").set(StatelessMeta.SUBSCRIPTION_ID, subscriptionId);
		params.set("notifications", honoured);
		return ack;
	}

	private static ObjectNode forMember(ObjectNode request, ObjectNode filter) {
		ObjectNode forMember = request.deepCopy();
		((ObjectNode) forMember.get("params")).set("notifications", filter);
		return forMember;
	}

	/**
	 * One member's listen stream for one client subscription: relays its notifications,
	 * and opens it again, after growing pauses, when it ends while the client listens.
	 */
	private final class MemberListen implements StreamListener {

		private final StatelessContext context;

		private final String member;

		private final ObjectNode request;

		private final JsonNode subscriptionId;

		private final ClientStream stream;

		private final List<BackendStream> memberStreams;

		private final ReopenPauses pauses = new ReopenPauses(FIRST_REOPEN_PAUSE);

		MemberListen(StatelessContext context, String member, ObjectNode request, JsonNode subscriptionId,
				ClientStream stream, List<BackendStream> memberStreams) {
			this.context = context;
			this.member = member;
			this.request = request;
			this.subscriptionId = subscriptionId;
			this.stream = stream;
			this.memberStreams = memberStreams;
		}

		void open() {
			if (this.stream.isClosed()) {
				return;
			}
			try {
				BackendStream opened = Subscriptions.this.members.listen(this.context, this.member, this.request,
						(text, message) -> relay(message), this);
				this.memberStreams.removeIf(BackendStream::isClosed);
				this.memberStreams.add(opened);
				if (this.stream.isClosed()) {
					opened.close();
				}
			}
			catch (BackendUnavailableException ex) {
				logger.warn("Listen stream of backend {} not opened: {}", this.member, ex.getMessage());
				reopenLater();
			}
		}

		private void relay(JsonNode message) {
			String method = message.path("method").asString("");
			if (!JsonRpc.isNotification(message) || method.equals(ACKNOWLEDGED)) {
				return;
			}
			if (method.endsWith("/list_changed")) {
				Subscriptions.this.signals.catalogChanged(CatalogScope.STATELESS);
			}
			this.pauses.reset();
			// A task's status, under the id the client knows it by.
			ObjectNode namingTask = ClientTaskIds.forStatelessClient(message,
					(memberTaskId) -> Subscriptions.this.taskIds.wrap(this.context.caller(), this.member,
							memberTaskId));
			JsonNode relayed = (namingTask != null) ? namingTask : message;
			this.stream.send(EventStreams
				.event(Subscriptions.this.json.writeValueAsString(ListenFilter.tagged(relayed, this.subscriptionId))));
		}

		@Override
		public void refused(StreamRefusal reason) {
			reopenLater();
		}

		@Override
		public void ended() {
			reopenLater();
		}

		private void reopenLater() {
			this.pauses.reopenLater(this.stream, "listen-reopen", this::open);
		}

	}

	/** A stream this pod serves, and the subscription id its messages carry. */
	private record Open(JsonNode subscriptionId, ClientStream stream) {
	}

}
