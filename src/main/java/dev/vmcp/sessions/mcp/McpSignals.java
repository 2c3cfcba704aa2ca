package dev.vmcp.sessions.mcp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.vmcp.sessions.session.PodBroadcasts;
import dev.vmcp.sessions.session.SessionId;

/**
 * What the front door tells every pod: a member's list changed (forget the session's
 * catalogs), a pod took the client's standalone stream (let go of yours), a stream a
 * client may be resuming elsewhere has a new event (read it), or a client changed its
 * resource subscriptions at a 2026-07-28 member (listen to it again). The pod that
 * signals acts on it at once; the others when the broadcast arrives.
 */
public final class McpSignals {

	private static final String CATALOG_TOPIC = "mcp-catalog";

	private static final String STREAM_TOPIC = "mcp-stream";

	private static final String LISTEN_TOPIC = "mcp-listen-cancelled";

	private static final String STREAM_EVENTS_TOPIC = "mcp-stream-events";

	private static final String SUBSCRIPTIONS_TOPIC = "mcp-subscriptions";

	private final PodBroadcasts broadcasts;

	private final List<Consumer<CatalogScope>> catalogListeners = new CopyOnWriteArrayList<>();

	McpSignals(PodBroadcasts broadcasts) {
		this.broadcasts = broadcasts;
		broadcasts.subscribe(CATALOG_TOPIC, (id, detail) -> notifyCatalogChanged(CatalogScope.of(id)));
	}

	/**
	 * A session's catalogs are forgotten on every pod; the stateless view's on this one,
	 * whose lists are kept no longer than the members' own caching hints allow.
	 */
	public void catalogChanged(CatalogScope scope) {
		notifyCatalogChanged(scope);
		scope.sessionId().ifPresent((id) -> this.broadcasts.publish(CATALOG_TOPIC, id, ""));
	}

	void onCatalogChanged(Consumer<CatalogScope> listener) {
		this.catalogListeners.add(listener);
	}

	/**
	 * Tells every pod that {@code streamId} is now the session's one standalone stream.
	 */
	public void streamClaimed(SessionId id, String streamId) {
		this.broadcasts.publish(STREAM_TOPIC, id, streamId);
	}

	public void onStreamClaimed(BiConsumer<SessionId, String> listener) {
		this.broadcasts.subscribe(STREAM_TOPIC, listener::accept);
	}

	/**
	 * Tells every pod that a client cancelled a {@code subscriptions/listen}, named by a
	 * key derived from its caller and request id (shaped like a session id, which is what
	 * broadcasts carry), so that whichever pod holds its stream ends it.
	 */
	public void listenCancelled(SessionId listenKey) {
		this.broadcasts.publish(LISTEN_TOPIC, listenKey, "");
	}

	public void onListenCancelled(Consumer<SessionId> listener) {
		this.broadcasts.subscribe(LISTEN_TOPIC, (id, detail) -> listener.accept(id));
	}

	/**
	 * Tells every pod that a stream whose client lost its connection has a new event
	 * kept, so that a pod relaying the stream to the client that resumed it reads it at
	 * once.
	 */
	public void streamAdvanced(SessionId id, String stream) {
		this.broadcasts.publish(STREAM_EVENTS_TOPIC, id, stream);
	}

	public void onStreamAdvanced(BiConsumer<SessionId, String> listener) {
		this.broadcasts.subscribe(STREAM_EVENTS_TOPIC, listener::accept);
	}

	/**
	 * Tells every pod that a 2025 client changed its resource subscriptions at a
	 * 2026-07-28 {@code member}, so that the pod holding the client's standalone stream
	 * opens that member's listen stream again with them.
	 */
	public void subscriptionsChanged(SessionId id, String member) {
		this.broadcasts.publish(SUBSCRIPTIONS_TOPIC, id, member);
	}

	public void onSubscriptionsChanged(BiConsumer<SessionId, String> listener) {
		this.broadcasts.subscribe(SUBSCRIPTIONS_TOPIC, listener::accept);
	}

	private void notifyCatalogChanged(CatalogScope scope) {
		this.catalogListeners.forEach((listener) -> listener.accept(scope));
	}

}
